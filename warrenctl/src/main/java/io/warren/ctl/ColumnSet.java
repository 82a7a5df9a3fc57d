package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns one list verb supports (rabbitmqctl's info keys, read from the API's JSON), its default columns,
 * and the selection of a user's column arguments. A dotted argument such as
 * {@code message_stats.publish_details.rate} reads any field of the API's object. Immutable once built.
 */
public final class ColumnSet {
  private final Map<String, Column> columns = new LinkedHashMap<>();
  private final List<String> defaults;

  private ColumnSet(List<String> keys, List<String> defaults) {
    keys.forEach(key -> columns.put(key, Column.at(key, key)));
    this.defaults = List.copyOf(defaults);
  }

  /** Supported keys read from the same-named field; {@code defaults} when the user names none. */
  public static ColumnSet of(String keys, String defaults) {
    return new ColumnSet(List.of(keys.split(" ")), List.of(defaults.split(" ")));
  }

  /** A key read from another path of the API's object than its name. */
  public ColumnSet alias(String key, String path) {
    columns.put(key, Column.at(key, path));
    return this;
  }

  /** A key whose value is computed from the object. */
  public ColumnSet derived(String key, Function<JsonNode, JsonNode> value) {
    columns.put(key, new Column(key, value));
    return this;
  }

  /** An existing key printed in tables by {@code text}, e.g. field tables in rabbitmqctl's notation. */
  public ColumnSet printedAs(String key, Function<JsonNode, String> text) {
    columns.put(key, columns.get(key).printedAs(text));
    return this;
  }

  /** A key with the same value in every row (e.g. bindings' source_kind, always exchange). */
  public ColumnSet constant(String key, String value) {
    return derived(key, row -> TextNode.valueOf(value));
  }

  /** The columns for the user's arguments, which may also be comma-separated, or the defaults. */
  public List<Column> select(List<String> requested) {
    List<String> names = new ArrayList<>();
    if (requested != null) {
      for (String arg : requested) {
        for (String part : arg.split(",")) {
          if (!part.isBlank()) {
            names.add(part.strip());
          }
        }
      }
    }
    if (names.isEmpty()) {
      names = defaults;
    }
    List<Column> selected = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      Column column = columns.get(name);
      if (column != null) {
        selected.add(column);
      } else if (name.contains(".")) {
        selected.add(Column.at(name, name));
      } else {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new CtlException(ExitCodes.USAGE, "column(s) " + String.join(", ", unknown)
          + " are not supported; use one of: " + String.join(", ", columns.keySet().stream().sorted().toList())
          + " (or a dotted path into the API's JSON, e.g. message_stats.publish_details.rate)");
    }
    return selected;
  }
}
