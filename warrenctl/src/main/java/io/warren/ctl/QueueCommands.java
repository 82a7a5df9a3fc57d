package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Verbs on queues: list_queues, purge_queue, delete_queue. Runs on the invoking thread. */
public final class QueueCommands {
  static final ColumnSet COLUMNS = ColumnSet.of("arguments auto_delete consumer_capacity consumer_utilisation "
          + "consumers durable exclusive exclusive_consumer_tag head_message_timestamp memory message_bytes "
          + "message_bytes_persistent message_bytes_ram message_bytes_ready message_bytes_unacknowledged messages "
          + "messages_persistent messages_ram messages_ready messages_ready_ram messages_unacknowledged "
          + "messages_unacknowledged_ram name node owner_pid_details policy state type vhost", "name messages")
      .alias("leader", "node")
      .alias("pid", "name")
      .alias("owner_pid", "owner_pid_details.name")
      .alias("exclusive_consumer_pid", "exclusive_consumer_tag");

  private final Session session;

  public QueueCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_queues", mixinStandardHelpOptions = true, description = "Lists the queues of a vhost and their properties. Columns "
      + "(default: name messages) may also be comma-separated.")
  public int listQueues(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show, e.g. name messages "
          + "consumers") List<String> columns) {
    List<Column> selected = COLUMNS.select(columns);
    String vhost = session.vhost();
    session.output().banner("Listing queues for vhost " + vhost + " ...");
    JsonNode queues = session.api().get(ApiPath.of("queues", vhost), Missing.vhost(vhost));
    session.output().table(selected, queues, !noHeaders);
    return ExitCodes.OK;
  }

  @Command(name = "purge_queue", mixinStandardHelpOptions = true, description = "Removes the ready messages of a queue.")
  public int purgeQueue(@Parameters(paramLabel = "<queue>", description = "queue name") String queue) {
    String vhost = session.vhost();
    session.output().banner("Purging queue '" + queue + "' in vhost '" + vhost + "' ...");
    Missing missing = Missing.inVhost(vhost, "queue '" + queue + "'");
    session.api().delete(ApiPath.of("queues", vhost, queue).then("contents"), Map.of(), missing);
    return ExitCodes.OK;
  }

  @Command(name = "delete_queue", mixinStandardHelpOptions = true, description = "Deletes a queue and its messages.")
  public int deleteQueue(
      @Option(names = {"-e", "--if-empty"}, description = "only if it has no messages") boolean ifEmpty,
      @Option(names = {"-u", "--if-unused"}, description = "only if it has no consumers") boolean ifUnused,
      @Parameters(paramLabel = "<queue>", description = "queue name") String queue) {
    String vhost = session.vhost();
    session.output().banner("Deleting queue '" + queue + "' on vhost '" + vhost + "' ...");
    Missing missing = Missing.inVhost(vhost, "queue '" + queue + "'");
    JsonNode before = session.api().get(ApiPath.of("queues", vhost, queue), missing);
    ApiPath path = ApiPath.of("queues", vhost, queue);
    if (ifEmpty || ifUnused) {
      path = path.query(ifEmpty && ifUnused ? "if-empty=true&if-unused=true" : ifEmpty ? "if-empty=true"
          : "if-unused=true");
    }
    session.api().delete(path, Map.of(), missing);
    session.output().banner("Queue was successfully deleted with " + before.path("messages").asLong(0)
        + " messages");
    return ExitCodes.OK;
  }
}
