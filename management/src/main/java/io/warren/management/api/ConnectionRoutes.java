package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.ConsumerInfo;

/**
 * /api/connections, /api/channels, /api/consumers. A management user sees its own connections and channels,
 * monitoring and administrator all; a user may close its own connections, an administrator any. Management loop.
 */
public final class ConnectionRoutes {
  private final Api api;

  public ConnectionRoutes(Api api) {
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/api/connections", Guard.USER, r -> Response.ok(Pagination.apply(r, api.broker.connections()
        .stream().filter(c -> owns(r, c.user())).map(api.views::connection).toList())));
    router.add("GET", "/api/vhosts/{vhost}/connections", Guard.USER, r -> {
      String v = api.vhost(r);
      return Response.ok(api.broker.connections().stream().filter(c -> c.vhost().equals(v) && owns(r, c.user()))
          .map(api.views::connection).toList());
    });
    router.add("GET", "/api/connections/{name}", Guard.USER, r -> Response.ok(api.views.connection(connection(r))));
    router.add("DELETE", "/api/connections/{name}", Guard.USER, r -> {
      ConnectionInfo c = connection(r);
      if (!r.user().administrator() && !c.user().equals(r.user().name())) {
        throw AdminException.forbidden("only an administrator may close another user's connection");
      }
      String reason = r.header("x-reason");
      api.broker.closeConnection(c.name(), reason == null ? "Closed via management plugin" : reason);
      return Response.noContent();
    });
    router.add("GET", "/api/connections/{name}/channels", Guard.USER, r -> {
      ConnectionInfo c = connection(r);
      return Response.ok(api.broker.channels().stream().filter(ch -> ch.connectionName().equals(c.name()))
          .map(api.views::channel).toList());
    });
    router.add("GET", "/api/channels", Guard.USER, r -> Response.ok(Pagination.apply(r, api.broker.channels()
        .stream().filter(c -> owns(r, c.user())).map(api.views::channel).toList())));
    router.add("GET", "/api/vhosts/{vhost}/channels", Guard.USER, r -> {
      String v = api.vhost(r);
      return Response.ok(api.broker.channels().stream().filter(c -> c.vhost().equals(v) && owns(r, c.user()))
          .map(api.views::channel).toList());
    });
    router.add("GET", "/api/channels/{name}", Guard.USER, r -> {
      ChannelInfo ch = api.broker.channels().stream().filter(c -> c.name().equals(r.param("name")) && owns(r,
          c.user())).findFirst().orElseThrow(() -> AdminException.notFound("channel '" + r.param("name")
              + "' not found"));
      return Response.ok(api.views.channel(ch));
    });
    router.add("GET", "/api/consumers", Guard.USER, r -> Response.ok(api.visible(r, api.broker.consumers(),
        ConsumerInfo::vhost, Views::consumer)));
    router.add("GET", "/api/consumers/{vhost}", Guard.USER, r -> {
      String v = api.vhost(r);
      return Response.ok(api.broker.consumers().stream().filter(c -> c.vhost().equals(v)).map(Views::consumer)
          .toList());
    });
  }

  private boolean owns(Request r, String user) {
    return r.user().monitor() || r.user().name().equals(user);
  }

  private ConnectionInfo connection(Request r) {
    return api.broker.connections().stream().filter(c -> c.name().equals(r.param("name")) && owns(r, c.user()))
        .findFirst().orElseThrow(() -> AdminException.notFound("connection '" + r.param("name") + "' not found"));
  }
}
