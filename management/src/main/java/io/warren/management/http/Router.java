package io.warren.management.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps method + path pattern ("/api/queues/{vhost}/{name}") to a handler and its guard. Literal segments beat
 * placeholders, so "/api/queues/{vhost}/{name}/get" and "/api/definitions/{vhost}" resolve as expected. Routes may
 * be added from any thread (broker-server adds its own at start); matching runs on the management event loop.
 */
public final class Router {
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  public record Route(String method, List<String> pattern, Guard guard, RouteHandler handler) {
    int literals() {
      return (int) pattern.stream().filter(s -> !s.startsWith("{")).count();
    }
  }

  /** What matching found: the route and its placeholder values, or that the path exists with other methods. */
  public record Match(Route route, Map<String, String> params, boolean pathExists) {
  }

  public void add(String method, String pattern, Guard guard, RouteHandler handler) {
    List<String> segs = new ArrayList<>();
    for (String s : pattern.split("/")) {
      if (!s.isEmpty()) {
        segs.add(s);
      }
    }
    if (pattern.endsWith("/") && pattern.length() > 1) {
      segs.add("");
    }
    routes.add(new Route(method, List.copyOf(segs), guard, handler));
  }

  public Match match(String method, List<String> segments) {
    Route best = null;
    Map<String, String> bestParams = null;
    boolean pathExists = false;
    for (Route r : routes) {
      Map<String, String> params = bind(r.pattern, segments);
      if (params == null) {
        continue;
      }
      if (!r.pattern.contains("{*}")) {
        pathExists = true; // a catch-all (static files) does not make every path "exist" for 405
      }
      boolean methodOk = r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"));
      if (methodOk && (best == null || r.literals() > best.literals())) {
        best = r;
        bestParams = params;
      }
    }
    return new Match(best, bestParams, pathExists);
  }

  private static Map<String, String> bind(List<String> pattern, List<String> segments) {
    boolean rest = !pattern.isEmpty() && pattern.get(pattern.size() - 1).equals("{*}");
    if (rest ? segments.size() < pattern.size() - 1 : segments.size() != pattern.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.equals("{*}")) {
        params.put("*", String.join("/", segments.subList(i, segments.size())));
        return params;
      }
      String s = segments.get(i);
      if (p.startsWith("{")) {
        params.put(p.substring(1, p.length() - 1), s);
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return params;
  }
}
