package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.GetRequest;
import io.warren.management.spi.GotMessage;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.QueueSpec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/queues: list (paged), one queue, declare, delete, purge (contents), get, bindings. Management loop. */
public final class QueueRoutes {
  private static final List<String> ACK_MODES =
      List.of("ack_requeue_true", "ack_requeue_false", "reject_requeue_true", "reject_requeue_false");
  private final Api api;

  public QueueRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    api.listRoutes(router, "/api/queues", api.broker::queues, QueueInfo::vhost, QueueInfo::name, api.views::queue);
    router.add("GET", "/api/queues/{vhost}/{name}", Guard.USER, r -> Response.ok(api.views.queue(queue(r))));
    router.add("PUT", "/api/queues/{vhost}/{name}", Guard.USER, this::put);
    router.add("DELETE", "/api/queues/{vhost}/{name}", Guard.USER, r -> {
      QueueInfo q = queue(r);
      api.require(r, q.vhost(), Access.CONFIGURE, q.name());
      api.broker.deleteQueue(q.vhost(), q.name(), Api.flag(r, "if-unused"), Api.flag(r, "if-empty"));
      return Response.noContent();
    });
    router.add("DELETE", "/api/queues/{vhost}/{name}/contents", Guard.USER, r -> {
      QueueInfo q = queue(r);
      api.require(r, q.vhost(), Access.READ, q.name());
      api.broker.purgeQueue(q.vhost(), q.name());
      return Response.noContent();
    });
    router.add("POST", "/api/queues/{vhost}/{name}/get", Guard.USER, this::get);
    router.add("GET", "/api/queues/{vhost}/{name}/bindings", Guard.USER, r -> {
      QueueInfo q = queue(r);
      return Response.ok(api.bindings(q.vhost(),
          b -> b.destinationType().equals("queue") && b.destination().equals(q.name())));
    });
  }

  QueueInfo queue(Request r) {
    String v = api.vhost(r);
    QueueInfo q = api.broker.queue(v, r.param("name"));
    if (q == null) {
      throw AdminException.notFound("queue '" + r.param("name") + "' not found in vhost '" + v + "'");
    }
    return q;
  }

  private Response put(Request r) {
    String v = api.vhost(r);
    String name = Api.name("queue", r.param("name"));
    if (name.startsWith("amq.")) {
      // RabbitMQ: ACCESS_REFUSED for the reserved prefix, which its API answers as 401
      throw AdminException.forbidden("Access refused. Queue name '" + name + "' contains reserved prefix 'amq.*'");
    }
    Map<String, Object> body = Json.object(r.body());
    api.require(r, v, Access.CONFIGURE, name);
    boolean exists = api.broker.queue(v, name) != null;
    api.broker.declareQueue(new QueueSpec(v, name, Api.bool(body, "durable", true),
        Api.bool(body, "auto_delete", false), Api.map(body, "arguments")));
    return Response.createdOrUpdated(!exists);
  }

  private Response get(Request r) {
    QueueInfo q = queue(r);
    api.require(r, q.vhost(), Access.READ, q.name());
    Map<String, Object> body = Json.object(r.body());
    String ackMode = Api.string(body, "ackmode", null);
    if (ackMode == null && body.get("requeue") instanceof Boolean b) {
      ackMode = b ? "ack_requeue_true" : "ack_requeue_false"; // the pre-3.7 form
    }
    if (ackMode == null || !ACK_MODES.contains(ackMode)) {
      throw AdminException.badRequest("ackmode must be one of " + String.join(", ", ACK_MODES));
    }
    Object countValue = body.getOrDefault("count", 1);
    int count = countValue instanceof Number n ? n.intValue()
        : countValue instanceof String s && s.matches("\\d{1,6}") ? Integer.parseInt(s) : -1;
    if (count < 1 || count > 10_000) {
      throw AdminException.badRequest("count must be an integer from 1 to 10000");
    }
    String encoding = Api.string(body, "encoding", "auto");
    if (!encoding.equals("auto") && !encoding.equals("base64")) {
      throw AdminException.badRequest("encoding must be auto or base64");
    }
    Object t = body.get("truncate");
    int truncate = t instanceof Number n ? n.intValue() : t instanceof String s && s.matches("\\d{1,9}")
        ? Integer.parseInt(s) : Integer.MAX_VALUE;
    List<GotMessage> got = api.broker.get(new GetRequest(q.vhost(), q.name(), count, ackMode.endsWith("true")));
    List<Map<String, Object>> out = new ArrayList<>();
    for (GotMessage g : got) {
      out.add(message(g, encoding, truncate));
    }
    return Response.ok(out);
  }

  static Map<String, Object> message(GotMessage g, String encoding, int truncate) {
    Map<String, Object> m = new LinkedHashMap<>();
    byte[] payload = g.payload();
    m.put("payload_bytes", payload.length);
    m.put("redelivered", g.redelivered());
    m.put("exchange", g.exchange());
    m.put("routing_key", g.routingKey());
    m.put("message_count", g.messageCount());
    m.put("properties", g.properties());
    byte[] shown = payload.length > truncate ? java.util.Arrays.copyOf(payload, Math.max(0, truncate)) : payload;
    String text = encoding.equals("auto") ? utf8(shown) : null;
    m.put("payload", text != null ? text : Base64.getEncoder().encodeToString(shown));
    m.put("payload_encoding", text != null ? "string" : "base64");
    return m;
  }

  private static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
