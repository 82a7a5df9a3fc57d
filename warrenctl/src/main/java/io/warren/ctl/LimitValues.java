package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits object in the API's answers to GET /api/vhost-limits/{vhost} and /api/user-limits/{user}, which are
 * [{"vhost" or "user": ..., "value": {"max-connections": n, ...}}], or [] when there are none. Pure.
 */
final class LimitValues {
  private LimitValues() {
  }

  /** The "value" object of the answer, or an empty object ({@code answer} null: nothing was found). */
  static JsonNode of(JsonNode answer) {
    if (answer != null) {
      for (JsonNode entry : answer) {
        if (entry.path("value").isObject()) {
          return entry.get("value");
        }
      }
    }
    return ApiClient.json().createObjectNode();
  }

  /** The names of the limits set in a value object. */
  static List<String> names(JsonNode value) {
    List<String> names = new ArrayList<>();
    value.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
