package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.PolicyInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** /api/policies, /api/vhost-limits and /api/user-limits. Management event loop. */
public final class PolicyRoutes {
  static final List<String> VHOST_LIMITS = List.of("max-connections", "max-queues");
  static final List<String> USER_LIMITS = List.of("max-connections", "max-channels");
  private final Api api;
  private final VhostUserRoutes lookups;

  public PolicyRoutes(Api api, VhostUserRoutes lookups) {
    this.api = api;
    this.lookups = lookups;
  }

  public void register(Router router) {
    router.add("GET", "/api/policies", Guard.POLICYMAKER, r -> Response.ok(api.visible(r, api.broker.policies(),
        PolicyInfo::vhost, Views::policy)));
    router.add("GET", "/api/policies/{vhost}", Guard.POLICYMAKER, r -> {
      String v = api.vhost(r);
      return Response.ok(api.broker.policies().stream().filter(p -> p.vhost().equals(v)).map(Views::policy)
          .toList());
    });
    router.add("GET", "/api/policies/{vhost}/{name}", Guard.POLICYMAKER, r -> Response.ok(Views.policy(policy(r))));
    router.add("PUT", "/api/policies/{vhost}/{name}", Guard.POLICYMAKER, this::putPolicy);
    router.add("DELETE", "/api/policies/{vhost}/{name}", Guard.POLICYMAKER, r -> {
      policy(r);
      api.broker.deletePolicy(r.param("vhost"), r.param("name"));
      return Response.noContent();
    });
    router.add("GET", "/api/operator-policies", Guard.POLICYMAKER, r -> Response.ok(List.of()));

    router.add("GET", "/api/vhost-limits", Guard.MONITORING, r -> Response.ok(api.broker.vhostLimits().stream()
        .filter(l -> !l.value().isEmpty()).map(Views::vhostLimits).toList()));
    router.add("GET", "/api/vhost-limits/{vhost}", Guard.MONITORING, r -> {
      String v = api.vhost(r);
      return Response.ok(api.broker.vhostLimits().stream().filter(l -> l.owner().equals(v) && !l.value().isEmpty())
          .map(Views::vhostLimits).toList());
    });
    router.add("PUT", "/api/vhost-limits/{vhost}/{name}", Guard.ADMINISTRATOR, this::putVhostLimit);
    router.add("DELETE", "/api/vhost-limits/{vhost}/{name}", Guard.ADMINISTRATOR, this::deleteVhostLimit);
    router.add("GET", "/api/user-limits", Guard.ADMINISTRATOR, r -> Response.ok(api.broker.userLimits().stream()
        .filter(l -> !l.value().isEmpty()).map(Views::userLimits).toList()));
    router.add("GET", "/api/user-limits/{user}", Guard.ADMINISTRATOR, r -> {
      lookups.user(r.param("user"));
      return Response.ok(api.broker.userLimits().stream()
          .filter(l -> l.owner().equals(r.param("user")) && !l.value().isEmpty()).map(Views::userLimits).toList());
    });
    router.add("PUT", "/api/user-limits/{user}/{name}", Guard.ADMINISTRATOR, this::putUserLimit);
    router.add("DELETE", "/api/user-limits/{user}/{name}", Guard.ADMINISTRATOR, this::deleteUserLimit);
  }

  private PolicyInfo policy(Request r) {
    String v = api.vhost(r);
    return api.broker.policies().stream().filter(p -> p.vhost().equals(v) && p.name().equals(r.param("name")))
        .findFirst().orElseThrow(() -> AdminException.notFound("policy '" + r.param("name") + "' not found in vhost '"
            + v + "'"));
  }

  private Response putPolicy(Request r) {
    String v = api.vhost(r);
    String name = Api.name("policy", r.param("name"));
    Map<String, Object> body = Json.object(r.body());
    PolicyInfo p = policyFrom(v, name, body);
    boolean exists = api.broker.policies().stream().anyMatch(x -> x.vhost().equals(v) && x.name().equals(name));
    api.broker.putPolicy(p);
    return Response.createdOrUpdated(!exists);
  }

  /** A policy from RabbitMQ's JSON (used by PUT and by definitions import); 400 on a malformed one. */
  static PolicyInfo policyFrom(String vhost, String name, Map<String, Object> body) {
    String pattern = Api.regex(body, "pattern", null);
    String applyTo = Api.string(body, "apply-to", "all");
    if (!List.of("all", "queues", "exchanges", "classic_queues", "quorum_queues", "streams").contains(applyTo)) {
      throw AdminException.badRequest("apply-to must be all, queues or exchanges, got '" + applyTo + "'");
    }
    Object pr = body.getOrDefault("priority", 0);
    int priority;
    if (pr instanceof Number n && n.doubleValue() == n.intValue()) {
      priority = n.intValue();
    } else if (pr instanceof String s && s.matches("-?\\d{1,9}")) {
      priority = Integer.parseInt(s);
    } else {
      throw AdminException.badRequest("priority must be an integer");
    }
    Map<String, Object> definition = Api.map(body, "definition");
    if (definition.isEmpty()) {
      throw AdminException.badRequest("definition must be a non-empty JSON object");
    }
    return new PolicyInfo(vhost, name, pattern, applyTo, priority, definition);
  }

  private Response putVhostLimit(Request r) {
    String v = api.vhost(r);
    String name = r.param("name");
    long value = limitValue(name, VHOST_LIMITS, Json.object(r.body()));
    Map<String, Long> current = new HashMap<>(currentLimits(api.broker.vhostLimits(), v));
    current.put(name, value);
    api.broker.putVhostLimits(new LimitInfo(v, current));
    return Response.noContent();
  }

  private Response deleteVhostLimit(Request r) {
    String v = api.vhost(r);
    Map<String, Long> current = new HashMap<>(currentLimits(api.broker.vhostLimits(), v));
    if (current.remove(r.param("name")) == null) {
      throw AdminException.notFound("no limit '" + r.param("name") + "' on vhost '" + v + "'");
    }
    api.broker.putVhostLimits(new LimitInfo(v, current));
    return Response.noContent();
  }

  private Response putUserLimit(Request r) {
    String user = lookups.user(r.param("user")).name();
    long value = limitValue(r.param("name"), USER_LIMITS, Json.object(r.body()));
    Map<String, Long> current = new HashMap<>(currentLimits(api.broker.userLimits(), user));
    current.put(r.param("name"), value);
    api.broker.putUserLimits(new LimitInfo(user, current));
    return Response.noContent();
  }

  private Response deleteUserLimit(Request r) {
    String user = lookups.user(r.param("user")).name();
    Map<String, Long> current = new HashMap<>(currentLimits(api.broker.userLimits(), user));
    if (current.remove(r.param("name")) == null) {
      throw AdminException.notFound("no limit '" + r.param("name") + "' on user '" + user + "'");
    }
    api.broker.putUserLimits(new LimitInfo(user, current));
    return Response.noContent();
  }

  static Map<String, Long> currentLimits(List<LimitInfo> all, String owner) {
    return all.stream().filter(l -> l.owner().equals(owner)).findFirst().map(LimitInfo::value).orElse(Map.of());
  }

  static long limitValue(String name, List<String> known, Map<String, Object> body) {
    if (!known.contains(name)) {
      throw AdminException.badRequest("unknown limit '" + name + "'; known: " + String.join(", ", known));
    }
    Object v = body.get("value");
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= -1) {
      return n.longValue();
    }
    if (v instanceof String s && s.matches("-?\\d{1,18}") && Long.parseLong(s) >= -1) {
      return Long.parseLong(s);
    }
    throw AdminException.badRequest("'value' must be an integer >= -1 (-1 means no limit)");
  }
}
