package io.warren.management.definitions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a definitions import applied and what it could not, with why. Confined to the importing thread. */
public final class ImportReport {
  private final Map<String, Integer> applied = new LinkedHashMap<>();
  private final List<Map<String, Object>> notApplied = new ArrayList<>();

  void applied(String kind) {
    applied.merge(kind, 1, Integer::sum);
  }

  void notApplied(String kind, String name, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("name", name);
    m.put("reason", reason);
    notApplied.add(m);
  }

  public Map<String, Integer> applied() {
    return applied;
  }

  public List<Map<String, Object>> notApplied() {
    return notApplied;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", applied);
    m.put("not_applied", notApplied);
    return m;
  }
}
