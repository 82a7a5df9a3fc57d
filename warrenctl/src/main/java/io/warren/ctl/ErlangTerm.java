package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A field table as rabbitmqctl's table output prints it, an Erlang-style list of {key,value} tuples:
 * {@code [{"connection_name","billing"},{"capabilities",[{"publisher_confirms",true}]}]}. Scripts written for
 * rabbitmqctl (RabbitMQ's own client test suites among them) find values in it with patterns such as
 * {@code "connection_name","(.*)"}. Stateless; any thread.
 */
final class ErlangTerm {
  private ErlangTerm() {
  }

  /** The value in rabbitmqctl's notation; nothing for a missing value, as other table cells. */
  static String of(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      out.append("undefined");
    } else if (value.isObject()) {
      out.append('[');
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append('{');
        string(out, field.getKey());
        out.append(',');
        append(out, field.getValue());
        out.append('}');
        if (fields.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        append(out, value.get(i));
      }
      out.append(']');
    } else if (value.isTextual()) {
      string(out, value.asText());
    } else {
      out.append(value.asText());
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    out.append('"');
  }
}
