package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Verbs on permissions and topic permissions, with rabbitmqctl's argument order: list_permissions,
 * list_user_permissions, set_permissions, clear_permissions, list_topic_permissions,
 * list_user_topic_permissions, set_topic_permissions, clear_topic_permissions. Runs on the invoking thread.
 */
public final class PermissionCommands {
  static final ColumnSet BY_VHOST = ColumnSet.of("user configure write read vhost", "user configure write read");
  static final ColumnSet BY_USER = ColumnSet.of("vhost configure write read user", "vhost configure write read");
  static final ColumnSet TOPIC_BY_VHOST = ColumnSet.of("user exchange write read vhost", "user exchange write read");
  static final ColumnSet TOPIC_BY_USER = ColumnSet.of("vhost exchange write read user", "vhost exchange write read");

  private final Session session;

  public PermissionCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_permissions", mixinStandardHelpOptions = true, description = "Lists the users' permissions in a vhost.")
  public int listPermissions(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders) {
    String vhost = session.vhost();
    return session.list("Listing permissions for vhost \"" + vhost + "\" ...", BY_VHOST.select(null),
        ApiPath.of("vhosts", vhost).then("permissions"), Missing.vhost(vhost), !noHeaders);
  }

  @Command(name = "list_user_permissions", mixinStandardHelpOptions = true, description = "Lists a user's permissions in every vhost.")
  public int listUserPermissions(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<username>") String user) {
    return session.list("Listing permissions for user \"" + user + "\" ...", BY_USER.select(null),
        ApiPath.of("users", user).then("permissions"), Missing.user(user), !noHeaders);
  }

  @Command(name = "set_permissions", mixinStandardHelpOptions = true, description = "Sets a user's configure, write and read permissions in a vhost "
      + "(regular expressions over resource names; '' grants nothing, '.*' everything).")
  public int setPermissions(@Parameters(index = "0", paramLabel = "<username>") String user,
      @Parameters(index = "1", paramLabel = "<conf>") String configure,
      @Parameters(index = "2", paramLabel = "<write>") String write,
      @Parameters(index = "3", paramLabel = "<read>") String read) {
    String vhost = session.vhost();
    session.output().banner("Setting permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
    ObjectNode body = ApiClient.json().createObjectNode().put("configure", configure).put("write", write)
        .put("read", read);
    session.api().put(ApiPath.of("permissions", vhost, user), body, Missing.vhostOrUser(vhost, user));
    return ExitCodes.OK;
  }

  @Command(name = "clear_permissions", mixinStandardHelpOptions = true, description = "Removes a user's permissions in a vhost.")
  public int clearPermissions(@Parameters(paramLabel = "<username>") String user) {
    String vhost = session.vhost();
    session.output().banner("Clearing permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
    session.api().delete(ApiPath.of("permissions", vhost, user), Map.of(), Missing.vhostOrUser(vhost, user));
    return ExitCodes.OK;
  }

  @Command(name = "list_topic_permissions", mixinStandardHelpOptions = true, description = "Lists the topic permissions in a vhost.")
  public int listTopicPermissions(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders) {
    String vhost = session.vhost();
    return session.list("Listing topic permissions for vhost \"" + vhost + "\" ...", TOPIC_BY_VHOST.select(null),
        ApiPath.of("vhosts", vhost).then("topic-permissions"), Missing.vhost(vhost), !noHeaders);
  }

  @Command(name = "list_user_topic_permissions", mixinStandardHelpOptions = true, description = "Lists a user's topic permissions in every vhost.")
  public int listUserTopicPermissions(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<username>") String user) {
    return session.list("Listing topic permissions for user \"" + user + "\" ...", TOPIC_BY_USER.select(null),
        ApiPath.of("users", user).then("topic-permissions"), Missing.user(user), !noHeaders);
  }

  @Command(name = "set_topic_permissions", mixinStandardHelpOptions = true, description = "Sets a user's topic permissions on one topic exchange "
      + "of a vhost: regular expressions over the routing keys it may publish with (write) and bind with (read).")
  public int setTopicPermissions(@Parameters(index = "0", paramLabel = "<username>") String user,
      @Parameters(index = "1", paramLabel = "<exchange>") String exchange,
      @Parameters(index = "2", paramLabel = "<write>") String write,
      @Parameters(index = "3", paramLabel = "<read>") String read) {
    String vhost = session.vhost();
    session.output().banner("Setting topic permissions on \"" + exchange + "\" for user \"" + user
        + "\" in vhost \"" + vhost + "\" ...");
    ObjectNode body = ApiClient.json().createObjectNode().put("exchange", exchange).put("write", write)
        .put("read", read);
    session.api().put(ApiPath.of("topic-permissions", vhost, user), body, Missing.vhostOrUser(vhost, user));
    return ExitCodes.OK;
  }

  @Command(name = "clear_topic_permissions", mixinStandardHelpOptions = true, description = "Removes a user's topic permissions in a vhost, on "
      + "every exchange or only on <exchange>.")
  public int clearTopicPermissions(@Parameters(index = "0", paramLabel = "<username>") String user,
      @Parameters(index = "1", arity = "0..1", paramLabel = "<exchange>") String exchange) {
    String vhost = session.vhost();
    session.output().banner("Clearing topic permissions" + (exchange == null ? "" : " on \"" + exchange + "\"")
        + " for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
    ApiPath path = ApiPath.of("topic-permissions", vhost, user);
    Missing missing = Missing.vhostOrUser(vhost, user);
    if (exchange == null) {
      session.api().delete(path, Map.of(), missing);
      return ExitCodes.OK;
    }
    // the API deletes a user's topic permissions in a vhost all at once: put back those on other exchanges
    JsonNode current = session.api().get(path, missing);
    List<JsonNode> keep = new java.util.ArrayList<>();
    boolean found = false;
    for (JsonNode entry : current) {
      if (exchange.equals(entry.path("exchange").asText())) {
        found = true;
      } else {
        keep.add(entry);
      }
    }
    if (!found) {
      throw new CtlException(ExitCodes.UNAVAILABLE, "user '" + user + "' has no topic permissions on exchange '"
          + exchange + "' in vhost '" + vhost + "'");
    }
    session.api().delete(path, Map.of(), missing);
    for (JsonNode entry : keep) {
      ObjectNode body = ApiClient.json().createObjectNode().put("exchange", entry.path("exchange").asText())
          .put("write", entry.path("write").asText()).put("read", entry.path("read").asText());
      session.api().put(path, body, missing);
    }
    return ExitCodes.OK;
  }
}
