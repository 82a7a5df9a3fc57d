package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.NodeInfo;
import io.warren.management.spi.QueueTotals;
import io.warren.management.spi.VhostInfo;
import io.warren.management.stats.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/overview, /api/nodes, /api/whoami, /api/cluster-name, /api/extensions. Management event loop. */
public final class OverviewRoutes {
  private final Api api;

  public OverviewRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/overview", Guard.USER, this::overview);
    router.add("GET", "/api/nodes", Guard.MONITORING, r -> Response.ok(List.of(node(api.broker.node()))));
    router.add("GET", "/api/nodes/{node}", Guard.MONITORING, r -> {
      NodeInfo n = api.broker.node();
      if (!n.name().equals(r.param("node"))) {
        throw AdminException.notFound("node '" + r.param("node") + "' not found");
      }
      return Response.ok(node(n));
    });
    router.add("GET", "/api/whoami", Guard.USER, r -> Response.ok(Map.of("name", r.user().name(), "tags",
        r.user().tags())));
    router.add("GET", "/api/cluster-name", Guard.USER, r -> Response.ok(Map.of("name",
        api.broker.node().clusterName())));
    router.add("GET", "/api/extensions", Guard.USER, r -> Response.ok(List.of()));
  }

  private Response overview(Request r) {
    NodeInfo n = api.broker.node();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("management_version", n.version());
    m.put("rates_mode", "basic");
    m.put("sample_retention_policies", Map.of("global", List.of(600), "basic", List.of(600), "detailed",
        List.of(600)));
    m.put("exchange_types", List.of(type("direct"), type("fanout"), type("headers"), type("topic"),
        type("x-delayed-message")));
    m.put("product_version", n.version());
    m.put("product_name", "Warren");
    m.put("rabbitmq_version", n.version());
    m.put("cluster_name", n.clusterName());
    m.put("erlang_version", "none (Java " + Runtime.version().feature() + ")");
    m.put("erlang_full_version", "Java " + Runtime.version());
    m.put("disable_stats", false);
    m.put("enable_queue_totals", true);
    m.put("message_stats", Details.nodeMessageStats(r, api.sampler, api.broker.counters()));
    m.put("churn_rates", churn(r));
    QueueTotals queues = visibleTotals(r);
    long ready = queues.messagesReady();
    long unacked = queues.messagesUnacknowledged();
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("messages", ready + unacked);
    totals.put("messages_details", Details.series(r, "lengths", api.sampler, Snapshot::messages,
        api.sampler.rate(Snapshot::messages), false));
    totals.put("messages_ready", ready);
    totals.put("messages_ready_details", Details.series(r, "lengths", api.sampler, Snapshot::ready,
        api.sampler.rate(Snapshot::ready), false));
    totals.put("messages_unacknowledged", unacked);
    totals.put("messages_unacknowledged_details", Details.series(r, "lengths", api.sampler, Snapshot::unacked,
        api.sampler.rate(Snapshot::unacked), false));
    m.put("queue_totals", totals);
    Map<String, Object> objects = new LinkedHashMap<>();
    // counted, not listed: an open overview page asks every few seconds (channels would be asked of each connection)
    String own = r.user().monitor() ? null : r.user().name();
    objects.put("channels", api.broker.channelCount(own));
    objects.put("connections", api.broker.connectionCount(own));
    objects.put("consumers", queues.consumers());
    List<ExchangeInfo> exchanges = api.broker.exchanges(null);
    objects.put("exchanges", exchanges.stream().filter(e -> api.sees(r.user(), e.vhost())).count());
    objects.put("queues", queues.queues());
    m.put("object_totals", objects);
    m.put("statistics_db_event_queue", 0);
    m.put("node", n.name());
    List<Map<String, Object>> listeners = new ArrayList<>();
    List<Map<String, Object>> contexts = new ArrayList<>();
    for (NodeInfo.Listener l : n.listeners()) {
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("node", n.name());
      lm.put("protocol", l.protocol());
      lm.put("ip_address", l.bindAddress());
      lm.put("port", l.port());
      lm.put("socket_opts", Map.of());
      (l.protocol().equals("http") ? contexts : listeners).add(lm);
    }
    m.put("listeners", listeners);
    m.put("contexts", contexts);
    return Response.ok(m);
  }

  /** Totals over the queues of the vhosts the user sees (all of them for monitoring users). */
  private QueueTotals visibleTotals(Request r) {
    if (r.user().monitor()) {
      return api.broker.queueTotals(null);
    }
    QueueTotals sum = QueueTotals.NONE;
    for (VhostInfo v : api.broker.vhosts()) {
      if (api.sees(r.user(), v.name())) {
        sum = sum.plus(api.broker.queueTotals(v.name()));
      }
    }
    return sum;
  }

  private Map<String, Object> churn(Request r) {
    Map<String, Object> m = new LinkedHashMap<>();
    String[] names = {"connection_created", "connection_closed", "channel_created", "channel_closed",
        "queue_declared", "queue_created", "queue_deleted"};
    for (int i = 0; i < names.length; i++) {
      int idx = i;
      Snapshot last = api.sampler.history().last();
      m.put(names[i], last == null ? 0 : last.churn()[i]);
      m.put(names[i] + "_details", Details.rate(api.sampler.rate(s -> s.churn()[idx])));
    }
    return m;
  }

  private static Map<String, Object> type(String name) {
    return Map.of("name", name, "description", "", "enabled", true);
  }

  Map<String, Object> node(NodeInfo n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    m.put("type", "disc");
    m.put("running", true);
    m.put("uptime", n.uptimeMillis());
    m.put("mem_used", n.memoryUsed());
    m.put("mem_used_details", Details.rate(0));
    m.put("mem_limit", n.memoryLimit());
    m.put("mem_alarm", n.memoryAlarm());
    m.put("disk_free", n.diskFree());
    m.put("disk_free_details", Details.rate(0));
    m.put("disk_free_limit", n.diskFreeLimit());
    m.put("disk_free_alarm", n.diskFreeAlarm());
    m.put("fd_used", n.fdUsed());
    m.put("fd_total", n.fdTotal());
    m.put("sockets_used", api.broker.connectionCount(null));
    m.put("sockets_total", n.fdTotal());
    m.put("proc_used", Thread.activeCount());
    m.put("proc_total", 1048576);
    m.put("processors", n.processors());
    m.put("run_queue", 0);
    m.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
    m.put("rates_mode", "basic");
    m.put("partitions", List.of());
    m.put("being_drained", false);
    m.put("applications", List.of(Map.of("name", "warren", "description", "Warren", "version", n.version())));
    m.put("enabled_plugins", List.of("rabbitmq_management", "rabbitmq_prometheus"));
    m.putAll(api.nodeFields.get());
    return m;
  }
}
