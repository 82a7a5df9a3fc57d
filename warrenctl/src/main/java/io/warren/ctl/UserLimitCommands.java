package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Verbs on per-user limits (max-connections, max-channels): set_user_limits, clear_user_limits, list_user_limits.
 * As with rabbitmqctl, set_user_limits adds to the user's limits and clear_user_limits removes one or all. Runs on
 * the invoking thread.
 */
public final class UserLimitCommands {
  private final Session session;

  public UserLimitCommands(Session session) {
    this.session = session;
  }

  @Command(name = "set_user_limits", mixinStandardHelpOptions = true, description = "Sets limits of a user, e.g. "
      + "set_user_limits alice '{\"max-connections\": 10, \"max-channels\": 100}' (-1 means no limit); limits not "
      + "named stay as they are.")
  public int setUserLimits(@Parameters(index = "0", paramLabel = "<username>") String user,
      @Parameters(index = "1", paramLabel = "<definition>", description = "JSON object of limits") String definition) {
    JsonNode limits = Json.object(definition, "the limits definition");
    for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> limit = it.next();
      if (!limit.getValue().isIntegralNumber()) {
        throw new CtlException(ExitCodes.DATA_ERROR, "limit '" + limit.getKey() + "' must be an integer, not "
            + limit.getValue());
      }
    }
    session.output().banner("Setting user limits to \"" + definition + "\" for user \"" + user + "\" ...");
    for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> limit = it.next();
      ObjectNode body = ApiClient.json().createObjectNode().set("value", limit.getValue());
      session.api().put(ApiPath.of("user-limits", user, limit.getKey()), body, Missing.user(user));
    }
    return ExitCodes.OK;
  }

  @Command(name = "clear_user_limits", mixinStandardHelpOptions = true, description = "Removes one limit of a "
      + "user, or all of them with 'all'.")
  public int clearUserLimits(@Parameters(index = "0", paramLabel = "<username>") String user,
      @Parameters(index = "1", paramLabel = "<limit>", description = "max-connections, max-channels or all")
      String limit) {
    session.output().banner("Clearing \"" + limit + "\" limit for user \"" + user + "\" ...");
    List<String> names = "all".equals(limit) ? current(user) : List.of(limit);
    for (String name : names) {
      session.api().delete(ApiPath.of("user-limits", user, name), Map.of(),
          Missing.of("user '" + user + "' has no limit '" + name + "'"));
    }
    return ExitCodes.OK;
  }

  @Command(name = "list_user_limits", mixinStandardHelpOptions = true, description = "Prints the limits of a user "
      + "as a JSON object.")
  public int listUserLimits(@Parameters(paramLabel = "<username>") String user) {
    session.output().banner("Listing limits for user \"" + user + "\" ...");
    session.output().raw(Output.compact(limits(user)) + System.lineSeparator());
    return ExitCodes.OK;
  }

  private List<String> current(String user) {
    return LimitValues.names(limits(user));
  }

  private JsonNode limits(String user) {
    if (session.api().getIfExists(ApiPath.of("users", user)) == null) {
      throw new CtlException(ExitCodes.NO_USER, "user '" + user + "' does not exist");
    }
    return LimitValues.of(session.api().getIfExists(ApiPath.of("user-limits", user)));
  }
}
