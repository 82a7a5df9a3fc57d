package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.function.Function;

/**
 * One column of a listing: its name as rabbitmqctl calls it and how to read it from the API's JSON object.
 * Immutable; any thread.
 */
public record Column(String name, Function<JsonNode, JsonNode> value) {

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
