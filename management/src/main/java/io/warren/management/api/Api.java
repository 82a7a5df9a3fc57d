package io.warren.management.api;

import io.warren.management.http.Guard;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.spi.Access;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.Principal;
import io.warren.management.stats.Sampler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every route group shares: the broker, the JSON views, the sampler, and RabbitMQ's visibility rules (which
 * vhosts a user sees, which resources it may touch). Confined to the management event loop.
 */
public final class Api {
  final ManagedBroker broker;
  final Views views;
  final Sampler sampler;
  /** Fields other subsystems add to this node's object in /api/nodes. */
  final java.util.function.Supplier<Map<String, Object>> nodeFields;

  public Api(ManagedBroker broker, Views views, Sampler sampler) {
    this(broker, views, sampler, Map::of);
  }

  public Api(ManagedBroker broker, Views views, Sampler sampler,
      java.util.function.Supplier<Map<String, Object>> nodeFields) {
    this.broker = broker;
    this.views = views;
    this.sampler = sampler;
    this.nodeFields = nodeFields;
  }

  /** monitoring and administrator see every vhost; others only those they have permissions in. */
  boolean sees(Principal p, String vhost) {
    return p.monitor() || broker.mayAccessVhost(p.name(), vhost);
  }

  /** 404 if the vhost does not exist, 401 if the user may not see it. */
  String vhost(Request r) {
    String v = r.param("vhost");
    if (broker.vhosts().stream().noneMatch(x -> x.name().equals(v))) {
      throw AdminException.notFound("vhost '" + v + "' not found");
    }
    if (!sees(r.user(), v)) {
      throw AdminException.forbidden("Access refused.");
    }
    return v;
  }

  /** 401 unless the user's AMQP permission allows the access to the resource (as the AMQP path checks it). */
  void require(Request r, String vhost, Access access, String resource) {
    if (!broker.permitted(r.user().name(), vhost, access, resource)) {
      throw AdminException.forbidden("access to '" + resource + "' in vhost '" + vhost + "' refused for user '"
          + r.user().name() + "' (" + access.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
  }

  /** The items in vhosts the user may see (monitoring and administrator: all). */
  <T> List<T> visible(Request r, List<T> items, Function<T, String> vhostOf) {
    Principal p = r.user();
    if (p.monitor()) {
      return items;
    }
    java.util.Map<String, Boolean> seen = new java.util.HashMap<>();
    return items.stream().filter(i -> seen.computeIfAbsent(vhostOf.apply(i), v -> sees(p, v))).toList();
  }

  <T> List<Map<String, Object>> visible(Request r, List<T> items, Function<T, String> vhostOf,
      Function<T, Map<String, Object>> view) {
    Principal p = r.user();
    java.util.Map<String, Boolean> seen = new java.util.HashMap<>();
    return items.stream().filter(i -> seen.computeIfAbsent(vhostOf.apply(i), v -> sees(p, v))).map(view).toList();
  }

  /**
   * GET {@code base} (the objects of every vhost the user sees) and GET {@code base/{vhost}}: RabbitMQ's paged lists
   * of one kind of object, listed by vhost ({@code null}: all) with {@code list}.
   */
  <T> void listRoutes(Router router, String base, Function<String, List<T>> list, Function<T, String> vhostOf,
      Function<T, String> nameOf, Function<T, Map<String, Object>> view) {
    router.add("GET", base, Guard.USER, r -> Response.ok(Pagination.apply(r, visible(r, list.apply(null), vhostOf),
        nameOf, view)));
    router.add("GET", base + "/{vhost}", Guard.USER, r -> Response.ok(Pagination.apply(r, list.apply(vhost(r)),
        nameOf, view)));
  }

  /** The bindings of a vhost that pass {@code which}, as RabbitMQ's JSON objects. */
  List<Map<String, Object>> bindings(String vhost, java.util.function.Predicate<BindingInfo> which) {
    return broker.bindings(vhost).stream().filter(which).map(Views::binding).toList();
  }

  /** A query flag such as {@code ?if-unused=true}: given and not "false". */
  static boolean flag(Request r, String name) {
    return r.query(name) != null && !"false".equals(r.query(name));
  }

  static String string(Map<String, Object> body, String key, String dflt) {
    Object v = body.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw AdminException.badRequest("'" + key + "' must be a string");
    }
    return s;
  }

  static String requiredString(Map<String, Object> body, String key) {
    String v = string(body, key, null);
    if (v == null) {
      throw AdminException.badRequest("'" + key + "' is required");
    }
    return v;
  }

  static boolean bool(Map<String, Object> body, String key, boolean dflt) {
    Object v = body.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw AdminException.badRequest("'" + key + "' must be true or false");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> body, String key) {
    Object v = body.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map)) {
      throw AdminException.badRequest("'" + key + "' must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  /** Tags as RabbitMQ accepts them: a comma-separated string or a list of strings. */
  static List<String> tags(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(x -> ((String) x).trim()).filter(t -> !t.isEmpty()).toList();
    }
    throw AdminException.badRequest("'tags' must be a string or a list of strings");
  }

  /** Names of vhosts, users, queues, exchanges: non-empty, at most 255 UTF-8 bytes, no control characters. */
  static String name(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw AdminException.badRequest(kind + " name must not be empty");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw AdminException.badRequest(kind + " name is longer than 255 bytes");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw AdminException.badRequest(kind + " name must not contain control characters");
      }
    }
    return name;
  }

  /** A regular expression from a body, checked to compile. */
  static String regex(Map<String, Object> body, String key, String dflt) {
    String v = string(body, key, dflt);
    if (v == null) {
      throw AdminException.badRequest("'" + key + "' is required");
    }
    check(v, v, key);
    return v;
  }

  /**
   * A topic permission's pattern: {@code {username}} and {@code {vhost}} stand for names the broker puts in before
   * compiling it (as RabbitMQ does), so the check compiles it with a plain name in their place.
   */
  static String topicRegex(Map<String, Object> body, String key) {
    String v = string(body, key, null);
    if (v == null) {
      throw AdminException.badRequest("'" + key + "' is required");
    }
    check(v.replace("{username}", "name").replace("{vhost}", "name"), v, key);
    return v;
  }

  private static void check(String compiled, String given, String key) {
    try {
      java.util.regex.Pattern.compile(compiled);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw AdminException.badRequest("'" + key + "' is not a valid regular expression: " + e.getDescription());
    }
  }
}
