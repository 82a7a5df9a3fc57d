package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Paths;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.BindingInfo;
import java.util.List;
import java.util.Map;

/**
 * /api/bindings: lists, POST between an exchange and a queue or exchange (201 with a Location ending in the
 * binding's properties key), GET/DELETE one binding by that key. Management event loop.
 */
public final class BindingRoutes {
  private final Api api;

  public BindingRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/bindings", Guard.USER, r -> Response.ok(api.visible(r, api.broker.bindings(null),
        BindingInfo::vhost, Views::binding)));
    router.add("GET", "/api/bindings/{vhost}", Guard.USER, r -> Response.ok(api.broker.bindings(api.vhost(r))
        .stream().map(Views::binding).toList()));
    for (String kind : List.of("q", "e")) {
      String base = "/api/bindings/{vhost}/e/{source}/" + kind + "/{destination}";
      String type = kind.equals("q") ? "queue" : "exchange";
      router.add("GET", base, Guard.USER, r -> Response.ok(between(r, type).stream().map(Views::binding).toList()));
      router.add("POST", base, Guard.USER, r -> create(r, type, kind));
      router.add("GET", base + "/{props}", Guard.USER, r -> Response.ok(Views.binding(one(r, type))));
      router.add("DELETE", base + "/{props}", Guard.USER, r -> {
        BindingInfo b = one(r, type);
        api.require(r, b.vhost(), Access.WRITE, b.destination());
        api.require(r, b.vhost(), Access.READ, b.source());
        api.broker.unbind(b);
        return Response.noContent();
      });
    }
  }

  private String source(Request r, String vhost) {
    String s = r.param("source").equals("amq.default") ? "" : r.param("source");
    if (api.broker.exchange(vhost, s) == null) {
      throw AdminException.notFound("exchange '" + s + "' not found in vhost '" + vhost + "'");
    }
    return s;
  }

  private void destination(Request r, String vhost, String type) {
    String d = r.param("destination");
    boolean exists = type.equals("queue") ? api.broker.queue(vhost, d) != null : api.broker.exchange(vhost, d) != null;
    if (!exists) {
      throw AdminException.notFound(type + " '" + d + "' not found in vhost '" + vhost + "'");
    }
  }

  private List<BindingInfo> between(Request r, String type) {
    String v = api.vhost(r);
    String s = source(r, v);
    destination(r, v, type);
    return api.broker.bindings(v).stream().filter(b -> b.source().equals(s) && b.destinationType().equals(type)
        && b.destination().equals(r.param("destination"))).toList();
  }

  private BindingInfo one(Request r, String type) {
    String props = r.param("props");
    return between(r, type).stream()
        .filter(b -> {
          String key = BindingKey.of(b.routingKey(), b.arguments());
          return key.equals(props);
        })
        .findFirst().orElseThrow(() -> AdminException.notFound("binding '" + props + "' not found"));
  }

  private Response create(Request r, String type, String kind) {
    String v = api.vhost(r);
    String s = source(r, v);
    destination(r, v, type);
    if (s.isEmpty()) {
      throw AdminException.badRequest("the default exchange cannot be bound to");
    }
    Map<String, Object> body = Json.object(r.body());
    String key = Api.string(body, "routing_key", "");
    // RabbitMQ keeps a JSON whole number as a long: the key below must be the one of the binding as stored
    Map<String, Object> args = BindingKey.asStored(Api.map(body, "arguments"));
    String d = r.param("destination");
    api.require(r, v, Access.WRITE, d);
    api.require(r, v, Access.READ, s);
    api.broker.bind(new BindingInfo(v, s, d, type, key, args));
    // relative to the POSTed URL, as RabbitMQ answers: "<destination>/<properties key, percent-encoded>"
    return Response.created(Paths.encode(d) + "/" + Paths.encode(BindingKey.of(key, args)));
  }
}
