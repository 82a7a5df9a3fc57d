package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Verbs on the node: status, ping, await_startup, stop_app, start_app. Runs on the invoking thread. */
public final class NodeCommands {
  /** Warren's own resource for the broker application (RabbitMQ's API has none). */
  private static final ApiPath APP = ApiPath.of("node").then("app");
  private static final Missing NO_APP = Missing.of("this management API cannot stop or start the broker "
      + "application (no /api/node/app: not a Warren node, or one older than stop_app/start_app)");
  private final Session session;

  public NodeCommands(Session session) {
    this.session = session;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the node's version, uptime, alarms, memory, disk, file "
      + "descriptors, listeners and totals.")
  public int status() {
    JsonNode overview = session.api().get(ApiPath.of("overview"), null);
    JsonNode node = node(overview.path("node").asText(""));
    ObjectNode status = ApiClient.json().createObjectNode();
    status.put("node", overview.path("node").asText(node.path("name").asText("")));
    status.put("product_name", overview.path("product_name").asText(""));
    status.put("product_version", overview.path("product_version").asText(""));
    status.put("uptime_seconds", node.path("uptime").asLong(0) / 1000);
    status.set("os_pid", node.get("os_pid"));
    ObjectNode alarms = status.putObject("alarms");
    alarms.put("memory", node.path("mem_alarm").asBoolean(false));
    alarms.put("disk", node.path("disk_free_alarm").asBoolean(false));
    status.set("memory_used", node.get("mem_used"));
    status.set("memory_limit", node.get("mem_limit"));
    status.set("disk_free", node.get("disk_free"));
    status.set("disk_free_limit", node.get("disk_free_limit"));
    status.set("fd_used", node.get("fd_used"));
    status.set("fd_total", node.get("fd_total"));
    status.set("listeners", overview.get("listeners"));
    status.set("object_totals", overview.get("object_totals"));
    status.set("queue_totals", overview.get("queue_totals"));
    Output output = session.output();
    if (output.formatter() == Formatter.JSON) {
      output.raw(Output.compact(status) + System.lineSeparator());
    } else {
      output.banner("Status of node " + status.path("node").asText() + " ...");
      output.raw(StatusText.of(status));
    }
    return ExitCodes.OK;
  }

  @Command(name = "ping", mixinStandardHelpOptions = true, description = "Checks that the management API answers and accepts the credentials.")
  public int ping() {
    session.api().get(ApiPath.of("overview"), null);
    session.output().banner("Ping succeeded");
    return ExitCodes.OK;
  }

  @Command(name = "await_startup", mixinStandardHelpOptions = true, description = "Waits until the management API answers (for scripts that "
      + "start the broker), at most --wait seconds.")
  public int awaitStartup(@Option(names = "--wait", defaultValue = "60", description = "seconds to wait "
      + "(default ${DEFAULT-VALUE})") int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try {
        session.api().get(ApiPath.of("overview"), null);
        return ExitCodes.OK;
      } catch (CtlException e) {
        if (e.exitCode() != ExitCodes.UNAVAILABLE && e.exitCode() != ExitCodes.TIMEOUT) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new CtlException(ExitCodes.TIMEOUT, "the management API did not come up within " + seconds + " s: "
              + e.getMessage());
        }
      }
      Thread.sleep(200);
    }
  }

  @Command(name = "stop_app", mixinStandardHelpOptions = true, description = "Stops the broker application and "
      + "leaves the node running, as rabbitmqctl stop_app: client connections are closed (320 CONNECTION_FORCED), "
      + "transient and exclusive queues are gone, AMQP connections are refused and the API answers 503 until "
      + "start_app; the management HTTP port stays up. A stopped application is left as it is.")
  public int stopApp() {
    session.output().banner("Stopping the broker application on node " + nodeName() + " ...");
    session.api().post(APP.then("stop"), null, NO_APP);
    return ExitCodes.OK;
  }

  @Command(name = "start_app", mixinStandardHelpOptions = true, description = "Starts the broker application "
      + "stopped by stop_app, as rabbitmqctl start_app: it recovers from the data directory as a restart does "
      + "(durable exchanges, queues, bindings, persistent messages). Returns once clients can connect. A running "
      + "application is left as it is.")
  public int startApp() {
    session.output().banner("Starting the broker application on node " + nodeName() + " ...");
    session.api().post(APP.then("start"), null, NO_APP);
    return ExitCodes.OK;
  }

  /** The node's name for the banners: rabbitmqctl's -n as given, else warren@ and the API's host. */
  private String nodeName() {
    return session.node() != null ? session.node() : "warren@" + session.api().host();
  }

  private JsonNode node(String name) {
    JsonNode nodes = session.api().get(ApiPath.of("nodes"), null);
    JsonNode first = ApiClient.json().createObjectNode();
    for (JsonNode node : nodes) {
      if (name.equals(node.path("name").asText())) {
        return node;
      }
      if (first.isEmpty()) {
        first = node;
      }
    }
    return first;
  }

  /** The table formatter's rendering of the status object, in rabbitmqctl's sections. */
  static final class StatusText {
    private StatusText() {
    }

    static String of(JsonNode s) {
      StringBuilder text = new StringBuilder();
      section(text, "Runtime");
      line(text, "Node name", s.path("node").asText());
      line(text, "Product", s.path("product_name").asText() + " " + s.path("product_version").asText());
      line(text, "OS PID", s.path("os_pid").asText(""));
      line(text, "Uptime (seconds)", s.path("uptime_seconds").asText());
      section(text, "Alarms");
      boolean memory = s.path("alarms").path("memory").asBoolean();
      boolean disk = s.path("alarms").path("disk").asBoolean();
      text.append(!memory && !disk ? "(none)" : (memory ? "memory alarm" : "")
          + (memory && disk ? ", " : "") + (disk ? "free disk space alarm" : "")).append('\n');
      section(text, "Memory");
      line(text, "Total memory used", gb(s.path("memory_used")));
      line(text, "Memory high watermark", gb(s.path("memory_limit")));
      section(text, "Free Disk Space");
      line(text, "Low free disk space watermark", gb(s.path("disk_free_limit")));
      line(text, "Free disk space", gb(s.path("disk_free")));
      section(text, "File Descriptors");
      line(text, "Total", s.path("fd_used").asText("") + ", limit: " + s.path("fd_total").asText(""));
      section(text, "Listeners");
      for (JsonNode listener : s.path("listeners")) {
        text.append("Interface: ").append(listener.path("ip_address").asText()).append(", port: ")
            .append(listener.path("port").asText()).append(", protocol: ")
            .append(listener.path("protocol").asText()).append('\n');
      }
      section(text, "Totals");
      JsonNode totals = s.path("object_totals");
      line(text, "Connection count", totals.path("connections").asText("0"));
      line(text, "Channel count", totals.path("channels").asText("0"));
      line(text, "Queue count", totals.path("queues").asText("0"));
      line(text, "Consumer count", totals.path("consumers").asText("0"));
      line(text, "Exchange count", totals.path("exchanges").asText("0"));
      JsonNode queued = s.path("queue_totals");
      line(text, "Messages", queued.path("messages").asText("0") + " (ready " + queued.path("messages_ready")
          .asText("0") + ", unacknowledged " + queued.path("messages_unacknowledged").asText("0") + ")");
      return text.toString();
    }

    private static void section(StringBuilder text, String title) {
      text.append(text.length() == 0 ? "" : "\n").append(title).append("\n\n");
    }

    private static void line(StringBuilder text, String label, String value) {
      text.append(label).append(": ").append(value).append('\n');
    }

    private static String gb(JsonNode bytes) {
      return bytes.isNumber() ? String.format(Locale.ROOT, "%.4f gb", bytes.asDouble() / 1e9) : "";
    }
  }
}
