package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Verbs on policies: list_policies, set_policy, clear_policy. Runs on the invoking thread. */
public final class PolicyCommands {
  static final ColumnSet COLUMNS = ColumnSet.of("vhost name pattern apply-to definition priority",
      "vhost name pattern apply-to definition priority");

  /** What a policy applies to, with RabbitMQ's names. */
  public enum ApplyTo {
    queues, exchanges, all
  }

  private final Session session;

  public PolicyCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_policies", mixinStandardHelpOptions = true, description = "Lists the policies of a vhost.")
  public int listPolicies(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    String vhost = session.vhost();
    return session.list("Listing policies for vhost \"" + vhost + "\" ...", COLUMNS.select(columns),
        ApiPath.of("policies", vhost), Missing.vhost(vhost), !noHeaders);
  }

  @Command(name = "set_policy", mixinStandardHelpOptions = true, description = "Sets a policy: queues or exchanges whose name matches <pattern> "
      + "(a regular expression) get <definition>'s keys, e.g. set_policy -p team-a --apply-to queues ttl '^ttl\\.' "
      + "'{\"message-ttl\": 60000}'. Applies at once to existing queues and exchanges.")
  public int setPolicy(
      @Option(names = "--priority", defaultValue = "0", description = "the highest-priority matching policy wins "
          + "(default ${DEFAULT-VALUE})") int priority,
      @Option(names = "--apply-to", defaultValue = "all", description = "queues, exchanges or all (default "
          + "${DEFAULT-VALUE})") ApplyTo applyTo,
      @Parameters(index = "0", paramLabel = "<name>") String name,
      @Parameters(index = "1", paramLabel = "<pattern>") String pattern,
      @Parameters(index = "2", paramLabel = "<definition>", description = "JSON object") String definition) {
    String vhost = session.vhost();
    JsonNode parsed = Json.object(definition, "the policy definition");
    session.output().banner("Setting policy \"" + name + "\" for pattern \"" + pattern + "\" to \"" + definition
        + "\" with priority \"" + priority + "\" for vhost \"" + vhost + "\" ...");
    ObjectNode body = ApiClient.json().createObjectNode().put("pattern", pattern).put("priority", priority)
        .put("apply-to", applyTo.name());
    body.set("definition", parsed);
    session.api().put(ApiPath.of("policies", vhost, name), body, Missing.vhost(vhost));
    return ExitCodes.OK;
  }

  @Command(name = "clear_policy", mixinStandardHelpOptions = true, description = "Removes a policy.")
  public int clearPolicy(@Parameters(paramLabel = "<name>") String name) {
    String vhost = session.vhost();
    session.output().banner("Clearing policy \"" + name + "\" on vhost \"" + vhost + "\" ...");
    session.api().delete(ApiPath.of("policies", vhost, name), Map.of(),
        Missing.inVhost(vhost, "policy '" + name + "'"));
    return ExitCodes.OK;
  }
}
