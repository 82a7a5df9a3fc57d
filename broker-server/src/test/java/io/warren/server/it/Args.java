package io.warren.server.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** Argument tables (x-arguments, headers) written inline as key, value, key, value... */
final class Args {
  private Args() {
  }

  /** A mutable map in the given order, so a test may add to it. */
  static Map<String, Object> of(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
