package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a command produces: rabbitmqctl's banner lines ("Listing queues for vhost / ..."), suppressed by
 * --quiet and by the JSON formatter so that its output stays one JSON document; listings as a tab-separated table
 * with a header line, or as a JSON array of objects. Confined to the thread that runs the command.
 */
public final class Output {
  private final PrintWriter out;
  private final Formatter formatter;
  private final boolean quiet;

  public Output(PrintWriter out, Formatter formatter, boolean quiet) {
    this.out = out;
    this.formatter = formatter;
    this.quiet = quiet;
  }

  public Formatter formatter() {
    return formatter;
  }

  /** An informational line such as "Adding vhost "x" ...": not data, so --quiet drops it. */
  public void banner(String line) {
    if (!quiet && formatter == Formatter.TABLE) {
      out.println(line);
      out.flush();
    }
  }

  /** Data that is printed as it is (a status report, an exported file). */
  public void raw(String text) {
    out.print(text);
    out.flush();
  }

  /** A listing: one row per element of {@code rows} (a JSON array), one field per column. */
  public void table(List<Column> columns, JsonNode rows, boolean headers) {
    List<JsonNode> list = new ArrayList<>();
    if (rows != null && rows.isArray()) {
      rows.forEach(list::add);
    }
    if (formatter == Formatter.JSON) {
      json(columns, list);
    } else {
      if (headers) {
        out.println(String.join("\t", columns.stream().map(Column::name).toList()));
      }
      for (JsonNode row : list) {
        List<String> cells = new ArrayList<>(columns.size());
        for (Column column : columns) {
          cells.add(column.text().apply(column.value().apply(row)));
        }
        out.println(String.join("\t", cells));
      }
    }
    out.flush();
  }

  private void json(List<Column> columns, List<JsonNode> rows) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < rows.size(); i++) {
      ObjectNode object = ApiClient.json().createObjectNode();
      for (Column column : columns) {
        JsonNode value = column.value().apply(rows.get(i));
        object.set(column.name(), value.isMissingNode() ? null : value);
      }
      text.append(i == 0 ? "\n" : ",\n").append(compact(object));
    }
    out.println(text.append(rows.isEmpty() ? "]" : "\n]"));
  }

  /** A table cell: text as it is, lists of text as rabbitmqctl prints tags ({@code [a, b]}), the rest as JSON. */
  static String cell(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "";
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    if (value.isArray()) {
      boolean allText = true;
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        allText &= item.isTextual();
        items.add(item.asText());
      }
      if (allText) {
        return "[" + String.join(", ", items) + "]";
      }
    }
    return compact(value);
  }

  static String compact(JsonNode value) {
    try {
      return ApiClient.json().writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a JSON value", e);
    }
  }
}
