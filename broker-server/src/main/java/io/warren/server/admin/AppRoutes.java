package io.warren.server.admin;

import io.warren.management.ManagementServer;
import io.warren.management.http.Guard;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.RouteHandler;
import io.warren.management.spi.AdminException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Warren's own HTTP routes that stop and start a node's broker application in place, as rabbitmqctl's stop_app and
 * start_app do (RabbitMQ's management API has no such endpoint): {@code GET /api/node/app} (its state, any management
 * user), {@code POST /api/node/app/stop} and {@code POST /api/node/app/start} (administrator; 403 for other users).
 * Registered on a listener that outlives the broker, so they are served while it is stopped. Registered once, from
 * any thread; the handlers run on the management event loop and hand the work to the {@link App}.
 */
public final class AppRoutes {
  static final String STATE = "/api/node/app";

  private AppRoutes() {
  }

  /** What the routes drive: a node's broker application, stopped and started one operation at a time. */
  public interface App {
    /** {@code running}, {@code stopping}, {@code stopped} or {@code starting}. */
    String state();

    /** Stops the application; completes once it is stopped (or was already). */
    CompletionStage<Outcome> stop();

    /** Starts the application; completes once it runs (or ran already), or with why it could not start. */
    CompletionStage<Outcome> start();
  }

  /**
   * What a stop or start did: {@code changed} false when the application already was in the state asked for;
   * {@code failure} says why a start failed (null when it did not), and {@code state} is the state after it.
   */
  public record Outcome(boolean changed, String state, String failure) {
  }

  public static void register(ManagementServer http, App app) {
    String node = NodeView.localName();
    http.route("GET", STATE, Guard.USER, r -> Response.ok(state(node, app.state(), null)));
    http.route("POST", STATE + "/stop", Guard.LOGIN, RouteHandler.later(r -> {
      administrator(r, "stop");
      return app.stop().thenApply(o -> answer(node, o));
    }));
    http.route("POST", STATE + "/start", Guard.LOGIN, RouteHandler.later(r -> {
      administrator(r, "start");
      return app.start().thenApply(o -> answer(node, o));
    }));
  }

  /**
   * The same paths on a node whose broker something else starts and stops (a mirrored pair's member): every call
   * answers 409 with {@code why}, rather than a 404 that would look like an old Warren.
   */
  public static void refuse(ManagementServer http, String why) {
    for (String path : new String[] {STATE, STATE + "/stop", STATE + "/start"}) {
      http.route(path.equals(STATE) ? "GET" : "POST", path, Guard.NONE, r -> {
        throw new AdminException(409, "not_supported_here", why);
      });
    }
  }

  private static void administrator(Request r, String what) {
    if (!r.user().administrator()) {
      throw new AdminException(403, "forbidden", "user '" + r.user().name() + "' may not " + what
          + " the broker application: that needs the administrator tag");
    }
  }

  private static Response answer(String node, Outcome o) {
    if (o.failure() != null) {
      return Response.json(500, Map.of("error", "start_failed", "reason", "the broker application could not start: "
          + o.failure() + " (it stays stopped; start it again once that is fixed)", "node", node,
          "state", o.state()));
    }
    return Response.ok(state(node, o.state(), o.changed()));
  }

  private static Map<String, Object> state(String node, String state, Boolean changed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", node);
    m.put("state", state);
    m.put("running", state.equals("running"));
    if (changed != null) {
      m.put("changed", changed);
    }
    return m;
  }
}
