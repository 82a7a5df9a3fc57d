package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.function.Function;

/**
 * One column of a listing: its name as rabbitmqctl calls it, how to read it from the API's JSON object, and how
 * the table formatter prints that value. Immutable; any thread.
 */
public record Column(String name, Function<JsonNode, JsonNode> value, Function<JsonNode, String> text) {

  /** A column printed in tables as {@link Output#cell} prints values. */
  public Column(String name, Function<JsonNode, JsonNode> value) {
    this(name, value, Output::cell);
  }

  /** The same value, printed in tables by {@code text} (the JSON formatter still prints the value itself). */
  public Column printedAs(Function<JsonNode, String> text) {
    return new Column(name, value, text);
  }

  /** A column read from a dotted path into the object ({@code queue.name}). */
  public static Column at(String name, String path) {
    return new Column(name, row -> walk(row, path));
  }

  static JsonNode walk(JsonNode row, String path) {
    JsonNode node = row;
    for (String part : path.split("\\.")) {
      if (node == null || !node.isObject()) {
        return MissingNode.getInstance();
      }
      node = node.get(part);
    }
    return node == null ? MissingNode.getInstance() : node;
  }
}
