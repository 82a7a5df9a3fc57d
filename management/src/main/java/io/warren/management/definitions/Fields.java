package io.warren.management.definitions;

import io.warren.management.spi.AdminException;
import io.warren.management.spi.PolicyInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Typed reads of definitions JSON fields, each failing with a 400 that names the field. Pure. */
final class Fields {
  private Fields() {
  }

  static String str(Map<String, Object> m, String key, String what) {
    Object v = m.get(key);
    if (!(v instanceof String s)) {
      throw AdminException.badRequest(what + ": '" + key + "' must be a string");
    }
    return s;
  }

  static String optStr(Map<String, Object> m, String key, String dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw AdminException.badRequest("'" + key + "' must be a string");
    }
    return s;
  }

  static boolean bool(Map<String, Object> m, String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    throw AdminException.badRequest("'" + key + "' must be true or false");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map)) {
      throw AdminException.badRequest("'" + key + "' must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  static String regex(Map<String, Object> m, String key) {
    String r = optStr(m, key, "");
    try {
      java.util.regex.Pattern.compile(r);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw AdminException.badRequest("'" + key + "' is not a valid regular expression: " + r);
    }
    return r;
  }

  /** A topic permission's pattern, {@code {username}} and {@code {vhost}} read as the names they stand for. */
  static String topicRegex(Map<String, Object> m, String key) {
    String r = optStr(m, key, "");
    try {
      java.util.regex.Pattern.compile(r.replace("{username}", "name").replace("{vhost}", "name"));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw AdminException.badRequest("'" + key + "' is not a valid regular expression: " + r);
    }
    return r;
  }

  static List<String> tags(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(x -> (String) x).toList();
    }
    throw AdminException.badRequest("'tags' must be a string or a list of strings");
  }

  static Map<String, Long> longs(Map<String, Object> m, String what) {
    Map<String, Long> out = new HashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!(e.getValue() instanceof Number n) || n.doubleValue() != n.longValue()) {
        throw AdminException.badRequest(what + ": '" + e.getKey() + "' must be an integer");
      }
      out.put(e.getKey(), n.longValue());
    }
    return out;
  }

  static PolicyInfo policy(String vhost, String name, Map<String, Object> p) {
    String pattern = regex(p, "pattern");
    Object pr = p.getOrDefault("priority", 0);
    if (!(pr instanceof Number n)) {
      throw AdminException.badRequest("policy " + name + ": priority must be an integer");
    }
    return new PolicyInfo(vhost, name, pattern, optStr(p, "apply-to", "all"), n.intValue(), obj(p, "definition"));
  }
}
