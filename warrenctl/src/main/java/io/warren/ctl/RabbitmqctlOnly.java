package io.warren.ctl;

import java.util.Map;

/**
 * rabbitmqctl verbs that have no counterpart in Warren's management API, with the reason and what to do instead:
 * a script that calls one learns why, rather than only that the verb is unknown. Constants only; any thread.
 */
final class RabbitmqctlOnly {
  private static final String NOT_ERLANG = "Warren is not an Erlang node: there is nothing to evaluate Erlang in";
  private static final String NO_STOP = "Warren's management API cannot stop or start the broker: stop the "
      + "process (SIGTERM) and start bin/warren again; durable queues and persistent messages are recovered";
  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("eval_file", NOT_ERLANG),
      Map.entry("environment", NOT_ERLANG),
      Map.entry("stop", NO_STOP),
      Map.entry("reset", NO_STOP),
      Map.entry("force_reset", NO_STOP),
      Map.entry("join_cluster", "Warren does not cluster; docs/replication.md describes its primary/backup pair"),
      Map.entry("cluster_status", "Warren does not cluster; docs/replication.md describes its primary/backup pair"));

  private RabbitmqctlOnly() {
  }

  /** Why {@code verb} is not available, or null when it is not one of rabbitmqctl's verbs warrenctl lacks. */
  static String reason(String verb) {
    return REASONS.get(verb);
  }
}
