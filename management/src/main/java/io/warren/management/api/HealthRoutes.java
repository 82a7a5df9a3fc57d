package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.GetRequest;
import io.warren.management.spi.GotMessage;
import io.warren.management.spi.NodeInfo;
import io.warren.management.spi.PublishRequest;
import io.warren.management.spi.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's health checks: 200 {"status":"ok"} when healthy, 503 {"status":"failed","reason":...} when not, and
 * the aliveness test (declare a queue, publish to it, get the message back). Management event loop.
 */
public final class HealthRoutes {
  private static final String ALIVENESS_QUEUE = "aliveness-test";
  private final Api api;

  public HealthRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/health/checks/alarms", Guard.USER, r -> alarms());
    router.add("GET", "/api/health/checks/local-alarms", Guard.USER, r -> alarms());
    router.add("GET", "/api/health/checks/port-listener/{port}", Guard.USER, this::portListener);
    router.add("GET", "/api/health/checks/protocol-listener/{protocol}", Guard.USER, this::protocolListener);
    router.add("GET", "/api/health/checks/virtual-hosts", Guard.USER, r -> ok());
    router.add("GET", "/api/health/checks/node-is-quorum-critical", Guard.USER, r -> ok());
    router.add("GET", "/api/health/checks/node-is-mirror-sync-critical", Guard.USER, r -> ok());
    router.add("GET", "/api/health/checks/certificate-expiration/{within}/{unit}", Guard.USER, r -> ok());
    router.add("GET", "/api/health/checks/ready-to-serve-clients", Guard.USER, this::ready);
    router.add("GET", "/api/aliveness-test/{vhost}", Guard.USER, this::aliveness);
  }

  private static Response ok() {
    return Response.ok(Map.of("status", "ok"));
  }

  private static Response failed(String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", reason);
    return Response.json(503, m);
  }

  private Response alarms() {
    NodeInfo n = api.broker.node();
    if (n.memoryAlarm() || n.diskFreeAlarm()) {
      return failed("resource alarm(s) in effect: " + (n.memoryAlarm() ? "memory " : "")
          + (n.diskFreeAlarm() ? "disk" : "").trim());
    }
    return ok();
  }

  private Response ready(Request r) {
    NodeInfo n = api.broker.node();
    if (n.memoryAlarm() || n.diskFreeAlarm()) {
      return failed("resource alarm in effect: publishers are blocked");
    }
    boolean listening = n.listeners().stream().anyMatch(l -> l.protocol().startsWith("amqp"));
    return listening ? ok() : failed("no AMQP listener");
  }

  private Response portListener(Request r) {
    int port;
    try {
      port = Integer.parseInt(r.param("port"));
    } catch (NumberFormatException e) {
      throw AdminException.badRequest("port must be a number, got '" + r.param("port") + "'");
    }
    boolean found = api.broker.node().listeners().stream().anyMatch(l -> l.port() == port);
    if (found) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "ok");
      m.put("port", port);
      return Response.ok(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "No active listener");
    m.put("missing", port);
    m.put("ports", api.broker.node().listeners().stream().map(NodeInfo.Listener::port).toList());
    return Response.json(503, m);
  }

  private Response protocolListener(Request r) {
    String p = r.param("protocol");
    boolean found = api.broker.node().listeners().stream().anyMatch(l -> l.protocol().equals(p));
    return found ? Response.ok(Map.of("status", "ok", "protocol", p)) : failed("no active listener for " + p);
  }

  private Response aliveness(Request r) {
    String vhost = api.vhost(r);
    api.require(r, vhost, Access.CONFIGURE, ALIVENESS_QUEUE);
    api.require(r, vhost, Access.WRITE, ALIVENESS_QUEUE);
    api.require(r, vhost, Access.READ, ALIVENESS_QUEUE);
    api.broker.declareQueue(new QueueSpec(vhost, ALIVENESS_QUEUE, false, false, Map.of()));
    byte[] body = "test_message".getBytes(StandardCharsets.UTF_8);
    api.broker.publish(new PublishRequest(vhost, "", ALIVENESS_QUEUE, Map.of(), body));
    List<GotMessage> got = api.broker.get(new GetRequest(vhost, ALIVENESS_QUEUE, 1, false));
    if (got.isEmpty()) {
      return failed("aliveness test message was not received back");
    }
    return Response.ok(Map.of("status", "ok"));
  }
}
