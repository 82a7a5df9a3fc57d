package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Json;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import java.util.List;
import java.util.Map;

/** /api/vhosts and /api/users, read and write. Management event loop. */
public final class VhostUserRoutes {
  private final Api api;

  public VhostUserRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/vhosts", Guard.USER, r -> Response.ok(Pagination.apply(r, api.broker.vhosts().stream()
        .filter(v -> api.sees(r.user(), v.name())).map(this::view).toList())));
    router.add("GET", "/api/vhosts/{vhost}", Guard.USER, r -> {
      String v = api.vhost(r);
      return Response.ok(view(find(v)));
    });
    router.add("PUT", "/api/vhosts/{vhost}", Guard.ADMINISTRATOR, this::putVhost);
    router.add("DELETE", "/api/vhosts/{vhost}", Guard.ADMINISTRATOR, r -> {
      String v = r.param("vhost");
      find(v);
      api.broker.deleteVhost(v);
      return Response.noContent();
    });
    router.add("GET", "/api/users", Guard.ADMINISTRATOR, r -> Response.ok(Pagination.apply(r,
        api.broker.users().stream().map(Views::user).toList())));
    router.add("GET", "/api/users/without-permissions", Guard.ADMINISTRATOR, r -> {
      List<PermissionInfo> perms = api.broker.permissions();
      return Response.ok(api.broker.users().stream()
          .filter(u -> perms.stream().noneMatch(p -> p.user().equals(u.name()))).map(Views::user).toList());
    });
    router.add("GET", "/api/users/{user}", Guard.ADMINISTRATOR, r -> Response.ok(Views.user(user(r.param("user")))));
    router.add("PUT", "/api/users/{user}", Guard.ADMINISTRATOR, this::putUser);
    router.add("DELETE", "/api/users/{user}", Guard.ADMINISTRATOR, r -> {
      user(r.param("user"));
      api.broker.deleteUser(r.param("user"));
      return Response.noContent();
    });
    router.add("POST", "/api/users/bulk-delete", Guard.ADMINISTRATOR, this::bulkDelete);
  }

  VhostInfo find(String name) {
    return api.broker.vhosts().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> AdminException.notFound("vhost '" + name + "' not found"));
  }

  private Map<String, Object> view(VhostInfo v) {
    return Views.vhost(v, api.broker.tracing(v.name()));
  }

  UserInfo user(String name) {
    return api.broker.users().stream().filter(u -> u.name().equals(name)).findFirst()
        .orElseThrow(() -> AdminException.notFound("user '" + name + "' not found"));
  }

  private Response putVhost(Request r) {
    String name = Api.name("vhost", r.param("vhost"));
    Map<String, Object> body = Json.object(r.body());
    boolean exists = api.broker.vhosts().stream().anyMatch(v -> v.name().equals(name));
    String queueType = Api.string(body, "default_queue_type", null);
    if (queueType != null && !List.of("classic", "quorum", "stream").contains(queueType)) {
      throw AdminException.badRequest("default_queue_type must be classic, quorum or stream");
    }
    Boolean tracing = body.get("tracing") == null ? null : Api.bool(body, "tracing", false); // absent: unchanged
    // {"tracing": ...} alone (warrenctl trace_on) switches the tracer and leaves an existing vhost's metadata alone
    boolean onlyTracing = tracing != null && body.keySet().stream().allMatch("tracing"::equals);
    if (!exists || !onlyTracing) {
      api.broker.putVhost(new VhostInfo(name, Api.string(body, "description", ""), Api.tags(body.get("tags")),
          queueType));
    }
    if (!exists) {
      // as RabbitMQ: whoever creates a vhost over HTTP gets full permissions in it
      api.broker.putPermission(new PermissionInfo(r.user().name(), name, ".*", ".*", ".*"));
    }
    if (tracing != null) {
      api.broker.tracing(name, tracing);
    }
    return Response.createdOrUpdated(!exists);
  }

  private Response putUser(Request r) {
    String name = Api.name("user", r.param("user"));
    Map<String, Object> body = Json.object(r.body());
    boolean exists = api.broker.users().stream().anyMatch(u -> u.name().equals(name));
    String password = Api.string(body, "password", null);
    String hash = Api.string(body, "password_hash", null);
    String algorithm = Api.string(body, "hashing_algorithm", UserInfo.HASHING_ALGORITHM);
    if (!UserInfo.HASHING_ALGORITHM.equals(algorithm)) {
      throw AdminException.badRequest("hashing_algorithm '" + algorithm + "' is not supported; use "
          + UserInfo.HASHING_ALGORITHM);
    }
    if (password != null && hash != null) {
      throw AdminException.badRequest("give either password or password_hash, not both");
    }
    if (password == null && hash == null) {
      if (!exists) {
        throw AdminException.badRequest("password or password_hash is required");
      }
      hash = user(name).passwordHash(); // a tags-only update keeps the password
    } else if (password != null) {
      hash = PasswordHashes.hash(password);
    } else if (!hash.isEmpty()) {
      PasswordHashes.check(hash);
    }
    api.broker.putUser(new UserInfo(name, hash, Api.tags(body.get("tags"))));
    return Response.createdOrUpdated(!exists);
  }

  private Response bulkDelete(Request r) {
    Object users = Json.object(r.body()).get("users");
    if (!(users instanceof List<?> list) || !list.stream().allMatch(x -> x instanceof String)) {
      throw AdminException.badRequest("'users' must be a list of user names");
    }
    for (Object u : list) {
      if (api.broker.users().stream().anyMatch(x -> x.name().equals(u))) {
        api.broker.deleteUser((String) u);
      }
    }
    return Response.noContent();
  }
}
