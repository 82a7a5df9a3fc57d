package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.TopicPermissionInfo;
import java.util.Map;

/** /api/permissions and /api/topic-permissions (and their per-vhost and per-user lists). Management event loop. */
public final class PermissionRoutes {
  private final Api api;
  private final VhostUserRoutes lookups;

  public PermissionRoutes(Api api, VhostUserRoutes lookups) {
    this.api = api;
    this.lookups = lookups;
  }

  public void register(Router router) {
    router.add("GET", "/api/permissions", Guard.ADMINISTRATOR, r -> Response.ok(
        api.broker.permissions().stream().map(Views::permission).toList()));
    router.add("GET", "/api/vhosts/{vhost}/permissions", Guard.ADMINISTRATOR, r -> {
      lookups.find(r.param("vhost"));
      return Response.ok(api.broker.permissions().stream().filter(p -> p.vhost().equals(r.param("vhost")))
          .map(Views::permission).toList());
    });
    router.add("GET", "/api/users/{user}/permissions", Guard.ADMINISTRATOR, r -> {
      lookups.user(r.param("user"));
      return Response.ok(api.broker.permissions().stream().filter(p -> p.user().equals(r.param("user")))
          .map(Views::permission).toList());
    });
    router.add("GET", "/api/permissions/{vhost}/{user}", Guard.ADMINISTRATOR, r -> Response.ok(
        Views.permission(permission(r))));
    router.add("PUT", "/api/permissions/{vhost}/{user}", Guard.ADMINISTRATOR, this::putPermission);
    router.add("DELETE", "/api/permissions/{vhost}/{user}", Guard.ADMINISTRATOR, r -> {
      permission(r);
      api.broker.deletePermission(r.param("user"), r.param("vhost"));
      return Response.noContent();
    });

    router.add("GET", "/api/topic-permissions", Guard.ADMINISTRATOR, r -> Response.ok(
        api.broker.topicPermissions().stream().map(Views::topicPermission).toList()));
    router.add("GET", "/api/vhosts/{vhost}/topic-permissions", Guard.ADMINISTRATOR, r -> {
      lookups.find(r.param("vhost"));
      return Response.ok(api.broker.topicPermissions().stream().filter(p -> p.vhost().equals(r.param("vhost")))
          .map(Views::topicPermission).toList());
    });
    router.add("GET", "/api/users/{user}/topic-permissions", Guard.ADMINISTRATOR, r -> {
      lookups.user(r.param("user"));
      return Response.ok(api.broker.topicPermissions().stream().filter(p -> p.user().equals(r.param("user")))
          .map(Views::topicPermission).toList());
    });
    router.add("GET", "/api/topic-permissions/{vhost}/{user}", Guard.ADMINISTRATOR, r -> {
      var list = topicPermissions(r);
      if (list.isEmpty()) {
        throw AdminException.notFound("no topic permissions for user '" + r.param("user") + "' in vhost '"
            + r.param("vhost") + "'");
      }
      return Response.ok(list.stream().map(Views::topicPermission).toList());
    });
    router.add("PUT", "/api/topic-permissions/{vhost}/{user}", Guard.ADMINISTRATOR, this::putTopicPermission);
    router.add("DELETE", "/api/topic-permissions/{vhost}/{user}", Guard.ADMINISTRATOR, r -> {
      if (topicPermissions(r).isEmpty()) {
        throw AdminException.notFound("no topic permissions for user '" + r.param("user") + "' in vhost '"
            + r.param("vhost") + "'");
      }
      api.broker.deleteTopicPermission(r.param("user"), r.param("vhost"), null);
      return Response.noContent();
    });
  }

  private PermissionInfo permission(Request r) {
    lookups.find(r.param("vhost"));
    lookups.user(r.param("user"));
    return api.broker.permissions().stream()
        .filter(p -> p.vhost().equals(r.param("vhost")) && p.user().equals(r.param("user"))).findFirst()
        .orElseThrow(() -> AdminException.notFound("no permissions for user '" + r.param("user") + "' in vhost '"
            + r.param("vhost") + "'"));
  }

  private java.util.List<TopicPermissionInfo> topicPermissions(Request r) {
    lookups.find(r.param("vhost"));
    lookups.user(r.param("user"));
    return api.broker.topicPermissions().stream()
        .filter(p -> p.vhost().equals(r.param("vhost")) && p.user().equals(r.param("user"))).toList();
  }

  private Response putPermission(Request r) {
    lookups.find(r.param("vhost"));
    lookups.user(r.param("user"));
    Map<String, Object> body = Json.object(r.body());
    boolean exists = api.broker.permissions().stream()
        .anyMatch(p -> p.vhost().equals(r.param("vhost")) && p.user().equals(r.param("user")));
    api.broker.putPermission(new PermissionInfo(r.param("user"), r.param("vhost"),
        Api.regex(body, "configure", null), Api.regex(body, "write", null), Api.regex(body, "read", null)));
    return Response.createdOrUpdated(!exists);
  }

  private Response putTopicPermission(Request r) {
    lookups.find(r.param("vhost"));
    lookups.user(r.param("user"));
    Map<String, Object> body = Json.object(r.body());
    String exchange = Api.requiredString(body, "exchange");
    if (api.broker.exchange(r.param("vhost"), exchange) == null) {
      throw AdminException.badRequest("exchange '" + exchange + "' does not exist in vhost '" + r.param("vhost")
          + "'");
    }
    boolean exists = api.broker.topicPermissions().stream().anyMatch(p -> p.vhost().equals(r.param("vhost"))
        && p.user().equals(r.param("user")) && p.exchange().equals(exchange));
    api.broker.putTopicPermission(new TopicPermissionInfo(r.param("user"), r.param("vhost"), exchange,
        Api.topicRegex(body, "write"), Api.topicRegex(body, "read")));
    return Response.createdOrUpdated(!exists);
  }
}
