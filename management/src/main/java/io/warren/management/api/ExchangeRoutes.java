package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.PublishRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** /api/exchanges: list (paged), one, declare, delete, publish, bindings as source/destination. Management loop. */
public final class ExchangeRoutes {
  static final List<String> TYPES = List.of("direct", "fanout", "topic", "headers", "x-delayed-message");
  private final Api api;

  public ExchangeRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    api.listRoutes(router, "/api/exchanges", api.broker::exchanges, ExchangeInfo::vhost, ExchangeInfo::name,
        api.views::exchange);
    router.add("GET", "/api/exchanges/{vhost}/{name}", Guard.USER, r -> Response.ok(api.views.exchange(exchange(r))));
    router.add("PUT", "/api/exchanges/{vhost}/{name}", Guard.USER, this::put);
    router.add("DELETE", "/api/exchanges/{vhost}/{name}", Guard.USER, r -> {
      ExchangeInfo e = exchange(r);
      if (e.name().isEmpty() || e.name().startsWith("amq.")) {
        // as RabbitMQ: ACCESS_REFUSED, which its API answers as 401
        throw AdminException.forbidden("Access refused. Exchange '" + e.name() + "' is built in and cannot be "
            + "deleted");
      }
      api.require(r, e.vhost(), Access.CONFIGURE, e.name());
      api.broker.deleteExchange(e.vhost(), e.name(), Api.flag(r, "if-unused"));
      return Response.noContent();
    });
    router.add("POST", "/api/exchanges/{vhost}/{name}/publish", Guard.USER, this::publish);
    router.add("GET", "/api/exchanges/{vhost}/{name}/bindings/source", Guard.USER, r -> {
      ExchangeInfo e = exchange(r);
      return Response.ok(api.bindings(e.vhost(), b -> b.source().equals(e.name())));
    });
    router.add("GET", "/api/exchanges/{vhost}/{name}/bindings/destination", Guard.USER, r -> {
      ExchangeInfo e = exchange(r);
      return Response.ok(api.bindings(e.vhost(),
          b -> b.destinationType().equals("exchange") && b.destination().equals(e.name())));
    });
  }

  /** The exchange named in the path; "amq.default" names the default exchange, as in RabbitMQ's URLs. */
  ExchangeInfo exchange(Request r) {
    String v = api.vhost(r);
    String name = r.param("name").equals("amq.default") ? "" : r.param("name");
    ExchangeInfo e = api.broker.exchange(v, name);
    if (e == null) {
      throw AdminException.notFound("exchange '" + name + "' not found in vhost '" + v + "'");
    }
    return e;
  }

  private Response put(Request r) {
    String v = api.vhost(r);
    String name = Api.name("exchange", r.param("name"));
    Map<String, Object> body = Json.object(r.body());
    String type = Api.requiredString(body, "type");
    if (!TYPES.contains(type)) {
      throw AdminException.badRequest("exchange type '" + type + "' is not known; known: " + String.join(", ", TYPES));
    }
    api.require(r, v, Access.CONFIGURE, name);
    boolean exists = api.broker.exchange(v, name) != null;
    api.broker.declareExchange(new ExchangeInfo(v, name, type, Api.bool(body, "durable", true),
        Api.bool(body, "auto_delete", false), Api.bool(body, "internal", false), Api.map(body, "arguments"), null,
        null));
    return Response.createdOrUpdated(!exists);
  }

  private Response publish(Request r) {
    ExchangeInfo e = exchange(r);
    api.require(r, e.vhost(), Access.WRITE, e.name());
    if (e.internal()) {
      // as over AMQP: only the broker publishes to an internal exchange (amq.rabbitmq.trace's traces cannot be forged)
      throw AdminException.badRequest("403 ACCESS_REFUSED - cannot publish to internal exchange '" + e.name()
          + "' in vhost '" + e.vhost() + "'");
    }
    Map<String, Object> body = Json.object(r.body());
    String routingKey = Api.requiredString(body, "routing_key");
    String payload = Api.requiredString(body, "payload");
    String encoding = Api.string(body, "payload_encoding", "string");
    byte[] bytes;
    if (encoding.equals("string")) {
      bytes = payload.getBytes(StandardCharsets.UTF_8);
    } else if (encoding.equals("base64")) {
      try {
        bytes = Base64.getDecoder().decode(payload);
      } catch (IllegalArgumentException x) {
        throw AdminException.badRequest("payload is not valid base64");
      }
    } else {
      throw AdminException.badRequest("payload_encoding must be string or base64");
    }
    Map<String, Object> props = MessageProperties.check(Api.map(body, "properties"));
    boolean routed = api.broker.publish(new PublishRequest(e.vhost(), e.name(), routingKey, props, bytes));
    return Response.ok(Map.of("routed", routed));
  }
}
