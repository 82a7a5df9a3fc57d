package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Verbs on live clients: list_connections, list_channels, list_consumers, close_connection, close_all_connections. Connections and
 * channels are named as the API names them ("127.0.0.1:51436 -> 127.0.0.1:5672"); rabbitmqctl's pid columns
 * show that name. Runs on the invoking thread.
 */
public final class ConnectionCommands {
  static final ColumnSet CONNECTIONS = ColumnSet.of("auth_mechanism channel_max channels client_properties "
          + "connected_at frame_max host name peer_cert_issuer peer_cert_subject peer_cert_validity peer_host "
          + "peer_port port protocol recv_cnt recv_oct send_cnt send_oct send_pend ssl ssl_cipher ssl_hash "
          + "ssl_key_exchange ssl_protocol state timeout type user user_provided_name vhost node",
          "user peer_host peer_port state")
      .alias("pid", "name")
      .printedAs("client_properties", ErlangTerm::of);
  static final ColumnSet CHANNELS = ColumnSet.of("acks_uncommitted confirm consumer_count global_prefetch_count "
          + "messages_unacknowledged messages_uncommitted messages_unconfirmed name number prefetch_count state "
          + "transactional user vhost node", "pid user consumer_count messages_unacknowledged")
      .alias("pid", "name")
      .alias("connection", "connection_details.name");
  static final ColumnSet CONSUMERS = ColumnSet.of("ack_required active activity_status arguments consumer_tag "
          + "exclusive prefetch_count",
          "queue_name channel_pid consumer_tag ack_required prefetch_count active arguments")
      .alias("queue_name", "queue.name")
      .alias("channel_pid", "channel_details.name")
      .alias("connection", "channel_details.connection_name");

  private final Session session;

  public ConnectionCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_connections", mixinStandardHelpOptions = true, description = "Lists client connections of every vhost (default columns: "
      + "user peer_host peer_port state; 'name' is what close_connection takes).")
  public int listConnections(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    return session.list("Listing connections ...", CONNECTIONS.select(columns),
        ApiPath.of("connections"), null, !noHeaders);
  }

  @Command(name = "list_channels", mixinStandardHelpOptions = true, description = "Lists the channels of every connection (default columns: pid "
      + "user consumer_count messages_unacknowledged).")
  public int listChannels(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    return session.list("Listing channels ...", CHANNELS.select(columns), ApiPath.of("channels"), null, !noHeaders);
  }

  @Command(name = "list_consumers", mixinStandardHelpOptions = true, description = "Lists the consumers of a vhost (default columns: queue_name "
      + "channel_pid consumer_tag ack_required prefetch_count active arguments).")
  public int listConsumers(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    String vhost = session.vhost();
    return session.list("Listing consumers in vhost " + vhost + " ...", CONSUMERS.select(columns),
        ApiPath.of("consumers", vhost), Missing.vhost(vhost), !noHeaders);
  }

  @Command(name = "close_connection", mixinStandardHelpOptions = true, description = "Closes a client connection (320 CONNECTION_FORCED with the "
      + "explanation as reply text).")
  public int closeConnection(
      @Parameters(index = "0", paramLabel = "<connection>", description = "connection name, as list_connections "
          + "name shows it") String name,
      @Parameters(index = "1", paramLabel = "<explanation>", description = "reason told to the client")
      String explanation) {
    session.output().banner("Closing connection " + name + ", reason: " + explanation + "...");
    session.api().delete(ApiPath.of("connections", name), Map.of("X-Reason", headerSafe(explanation)),
        Missing.of("connection '" + name + "' does not exist (list_connections name shows the names)"));
    return ExitCodes.OK;
  }

  @Command(name = "close_all_connections", mixinStandardHelpOptions = true, description = "Closes the client "
      + "connections of a vhost (-p, default /), or of every vhost with --global (320 CONNECTION_FORCED with the "
      + "explanation as reply text).")
  public int closeAllConnections(
      @Option(names = "--global", description = "every vhost's connections") boolean global,
      @Option(names = "--limit", defaultValue = "0", description = "close at most this many (default 0: all)")
      int limit,
      @Option(names = "--per-connection-delay", defaultValue = "0", description = "milliseconds to wait after "
          + "each close (default ${DEFAULT-VALUE})") long delayMillis,
      @Parameters(paramLabel = "<explanation>", description = "reason told to the clients") String explanation)
      throws InterruptedException {
    String vhost = session.vhost();
    session.output().banner(global ? "Closing all connections, reason: " + explanation + "..."
        : "Closing all connections in vhost " + vhost + ", reason: " + explanation + "...");
    JsonNode connections = global ? session.api().get(ApiPath.of("connections"), null)
        : session.api().get(ApiPath.of("vhosts", vhost).then("connections"), Missing.vhost(vhost));
    int closed = 0;
    for (JsonNode connection : connections) {
      if (limit > 0 && closed >= limit) {
        break;
      }
      String name = connection.path("name").asText();
      // a connection that went away meanwhile is as closed as asked
      session.api().deleteIfExists(ApiPath.of("connections", name), Map.of("X-Reason", headerSafe(explanation)));
      closed++;
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
    }
    return ExitCodes.OK;
  }

  /** HTTP header values are ASCII without control characters; anything else would make the request invalid. */
  static String headerSafe(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.chars().forEach(c -> safe.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return safe.toString();
  }
}
