package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Verbs on virtual hosts, their limits and their firehose tracer: list_vhosts, add_vhost, delete_vhost,
 * set_vhost_limits, clear_vhost_limits, list_vhost_limits, trace_on, trace_off. Runs on the invoking thread.
 */
public final class VhostCommands {
  static final ColumnSet COLUMNS = ColumnSet.of("cluster_state default_queue_type description name tags tracing "
      + "messages messages_ready messages_unacknowledged", "name");

  private final Session session;

  public VhostCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_vhosts", mixinStandardHelpOptions = true, description = "Lists virtual hosts (default column: name).")
  public int listVhosts(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    return session.list("Listing vhosts ...", COLUMNS.select(columns), ApiPath.of("vhosts"), null, !noHeaders);
  }

  @Command(name = "add_vhost", mixinStandardHelpOptions = true, description = "Creates a virtual host (nothing changes if it exists).")
  public int addVhost(
      @Option(names = "--description", description = "free text") String description,
      @Option(names = "--tags", split = ",", description = "comma-separated tags") List<String> tags,
      @Option(names = "--default-queue-type", description = "classic, quorum or stream") String queueType,
      @Parameters(paramLabel = "<vhost>", description = "name of the vhost") String name) {
    session.output().banner("Adding vhost \"" + name + "\" ...");
    ObjectNode body = ApiClient.json().createObjectNode();
    if (description != null) {
      body.put("description", description);
    }
    if (tags != null) {
      body.put("tags", String.join(",", tags));
    }
    if (queueType != null) {
      body.put("default_queue_type", queueType);
    }
    session.api().put(ApiPath.of("vhosts", name), body, null);
    return ExitCodes.OK;
  }

  @Command(name = "delete_vhost", mixinStandardHelpOptions = true, description = "Deletes a virtual host with its queues, exchanges and "
      + "permissions, closing its connections.")
  public int deleteVhost(@Parameters(paramLabel = "<vhost>", description = "name of the vhost") String name) {
    session.output().banner("Deleting vhost \"" + name + "\" ...");
    session.api().delete(ApiPath.of("vhosts", name), Map.of(), Missing.vhost(name));
    return ExitCodes.OK;
  }

  @Command(name = "set_vhost_limits", mixinStandardHelpOptions = true, description = "Sets the limits of a vhost; limits not named are removed, as "
      + "with rabbitmqctl. Example: set_vhost_limits -p team-a '{\"max-connections\": 64, \"max-queues\": 256}' "
      + "(-1 means no limit).")
  public int setVhostLimits(@Parameters(paramLabel = "<definition>", description = "JSON object of limits")
      String definition) {
    String vhost = session.vhost();
    JsonNode limits = Json.object(definition, "the limits definition");
    for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> limit = it.next();
      if (!limit.getValue().isIntegralNumber()) {
        throw new CtlException(ExitCodes.DATA_ERROR, "limit '" + limit.getKey() + "' must be an integer, not "
            + limit.getValue());
      }
    }
    session.output().banner("Setting vhost limits to \"" + definition + "\" for vhost \"" + vhost + "\" ...");
    List<String> old = currentLimits(vhost);
    for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> limit = it.next();
      ObjectNode body = ApiClient.json().createObjectNode().set("value", limit.getValue());
      session.api().put(ApiPath.of("vhost-limits", vhost, limit.getKey()), body, Missing.vhost(vhost));
      old.remove(limit.getKey());
    }
    for (String name : old) {
      session.api().delete(ApiPath.of("vhost-limits", vhost, name), Map.of(), null);
    }
    return ExitCodes.OK;
  }

  @Command(name = "clear_vhost_limits", mixinStandardHelpOptions = true, description = "Removes every limit of a vhost.")
  public int clearVhostLimits() {
    String vhost = session.vhost();
    session.output().banner("Clearing vhost \"" + vhost + "\" limits ...");
    for (String name : currentLimits(vhost)) {
      session.api().delete(ApiPath.of("vhost-limits", vhost, name), Map.of(), null);
    }
    return ExitCodes.OK;
  }

  @Command(name = "list_vhost_limits", mixinStandardHelpOptions = true, description = "Prints the limits of a vhost as a JSON object.")
  public int listVhostLimits() {
    String vhost = session.vhost();
    session.output().banner("Listing limits for vhost \"" + vhost + "\" ...");
    session.output().raw(Output.compact(limitsObject(vhost)) + System.lineSeparator());
    return ExitCodes.OK;
  }

  @Command(name = "trace_on", mixinStandardHelpOptions = true, description = "Turns on the firehose tracer of a vhost "
      + "(-p, default /): every message published or delivered in it is copied to its topic exchange "
      + "amq.rabbitmq.trace (keys publish.<exchange> and deliver.<queue>). Off again after a broker restart.")
  public int traceOn() {
    return trace(true);
  }

  @Command(name = "trace_off", mixinStandardHelpOptions = true, description = "Turns off the firehose tracer of a vhost "
      + "(-p, default /).")
  public int traceOff() {
    return trace(false);
  }

  /**
   * The management API's way: PUT /api/vhosts/{vhost} with {"tracing": true|false}. The vhost's description and tags
   * go along, because RabbitMQ's API resets those a PUT leaves out (Warren's keeps them).
   */
  private int trace(boolean on) {
    String vhost = session.vhost();
    session.output().banner((on ? "Starting" : "Stopping") + " tracing for vhost \"" + vhost + "\" ...");
    // read first: that PUT would create a vhost that does not exist, so say it is missing instead
    JsonNode current = session.api().get(ApiPath.of("vhosts", vhost), Missing.vhost(vhost));
    ObjectNode body = ApiClient.json().createObjectNode();
    if (current.hasNonNull("description")) {
      body.put("description", current.get("description").asText());
    }
    if (current.get("tags") instanceof com.fasterxml.jackson.databind.node.ArrayNode tags) {
      List<String> names = new java.util.ArrayList<>();
      tags.forEach(t -> names.add(t.asText()));
      body.put("tags", String.join(",", names));
    }
    body.put("tracing", on);
    session.api().put(ApiPath.of("vhosts", vhost), body, Missing.vhost(vhost));
    session.output().raw("Trace " + (on ? "enabled" : "disabled") + " for vhost " + vhost + System.lineSeparator());
    return ExitCodes.OK;
  }

  private List<String> currentLimits(String vhost) {
    return LimitValues.names(limitsObject(vhost));
  }

  private JsonNode limitsObject(String vhost) {
    return LimitValues.of(session.api().get(ApiPath.of("vhost-limits", vhost), Missing.vhost(vhost)));
  }
}
