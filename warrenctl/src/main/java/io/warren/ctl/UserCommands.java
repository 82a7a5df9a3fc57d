package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Verbs on users: list_users, add_user, delete_user, change_password, clear_password, set_user_tags,
 * authenticate_user. The API's PUT replaces a user whole, so verbs that change one attribute read the user first
 * and send back the others. Runs on the invoking thread.
 */
public final class UserCommands {
  static final ColumnSet COLUMNS = ColumnSet.of("tags hashing_algorithm limits", "user tags")
      .alias("user", "name")
      .alias("name", "name");

  private final Session session;

  public UserCommands(Session session) {
    this.session = session;
  }

  @Command(name = "list_users", mixinStandardHelpOptions = true, description = "Lists users and their tags.")
  public int listUsers(
      @Option(names = "--no-table-headers", description = "omit the header line") boolean noHeaders,
      @Parameters(paramLabel = "<column>", arity = "0..*", description = "columns to show") List<String> columns) {
    return session.list("Listing users ...", COLUMNS.select(columns), ApiPath.of("users"), null, !noHeaders);
  }

  @Command(name = "add_user", mixinStandardHelpOptions = true, description = "Creates a user with no tags and no permissions. Without <password>, "
      + "reads it from the first line of standard input.")
  public int addUser(@Parameters(index = "0", paramLabel = "<username>") String name,
      @Parameters(index = "1", arity = "0..1", paramLabel = "<password>") String password) {
    String secret = password != null ? password : readPassword();
    session.output().banner("Adding user \"" + name + "\" ...");
    if (session.api().getIfExists(ApiPath.of("users", name)) != null) {
      throw new CtlException(ExitCodes.SOFTWARE, "user '" + name + "' already exists");
    }
    ObjectNode body = ApiClient.json().createObjectNode().put("password", secret).put("tags", "");
    session.api().put(ApiPath.of("users", name), body, null);
    return ExitCodes.OK;
  }

  @Command(name = "delete_user", mixinStandardHelpOptions = true, description = "Deletes a user and its permissions, closing its connections.")
  public int deleteUser(@Parameters(paramLabel = "<username>") String name) {
    session.output().banner("Deleting user \"" + name + "\" ...");
    session.api().delete(ApiPath.of("users", name), Map.of(), Missing.user(name));
    return ExitCodes.OK;
  }

  @Command(name = "change_password", mixinStandardHelpOptions = true, description = "Sets a user's password, keeping its tags. Without "
      + "<password>, reads it from the first line of standard input.")
  public int changePassword(@Parameters(index = "0", paramLabel = "<username>") String name,
      @Parameters(index = "1", arity = "0..1", paramLabel = "<password>") String password) {
    String secret = password != null ? password : readPassword();
    session.output().banner("Changing password for user \"" + name + "\" ...");
    JsonNode user = session.api().get(ApiPath.of("users", name), Missing.user(name));
    ObjectNode body = ApiClient.json().createObjectNode().put("password", secret).put("tags", tags(user));
    session.api().put(ApiPath.of("users", name), body, Missing.user(name));
    return ExitCodes.OK;
  }

  @Command(name = "clear_password", mixinStandardHelpOptions = true, description = "Removes a user's password: it can no longer log in with one.")
  public int clearPassword(@Parameters(paramLabel = "<username>") String name) {
    session.output().banner("Clearing password for user \"" + name + "\" ...");
    JsonNode user = session.api().get(ApiPath.of("users", name), Missing.user(name));
    ObjectNode body = ApiClient.json().createObjectNode().put("password_hash", "").put("tags", tags(user));
    session.api().put(ApiPath.of("users", name), body, Missing.user(name));
    return ExitCodes.OK;
  }

  @Command(name = "set_user_tags", mixinStandardHelpOptions = true, description = "Replaces a user's tags (administrator, monitoring, policymaker, "
      + "management...); no tags removes them all.")
  public int setUserTags(@Parameters(index = "0", paramLabel = "<username>") String name,
      @Parameters(index = "1..*", arity = "0..*", paramLabel = "<tag>") List<String> tags) {
    List<String> list = tags == null ? List.of() : tags;
    session.output().banner("Setting tags for user \"" + name + "\" to [" + String.join(", ", list) + "] ...");
    JsonNode user = session.api().get(ApiPath.of("users", name), Missing.user(name));
    ObjectNode body = ApiClient.json().createObjectNode()
        .put("password_hash", user.path("password_hash").asText(""))
        .put("tags", String.join(",", list));
    if (user.hasNonNull("hashing_algorithm")) {
      body.put("hashing_algorithm", user.get("hashing_algorithm").asText());
    }
    session.api().put(ApiPath.of("users", name), body, Missing.user(name));
    return ExitCodes.OK;
  }

  @Command(name = "authenticate_user", mixinStandardHelpOptions = true, description = "Checks a username and password by logging in to the "
      + "management API with them (exit 65 when they are refused). Without <password>, reads standard input.")
  public int authenticateUser(@Parameters(index = "0", paramLabel = "<username>") String name,
      @Parameters(index = "1", arity = "0..1", paramLabel = "<password>") String password) {
    String secret = password != null ? password : readPassword();
    session.output().banner("Authenticating user \"" + name + "\" ...");
    ApiClient own = session.api();
    ApiClient asUser = new ApiClient(own.host(), own.port(), name, secret, Duration.ofSeconds(30));
    try {
      asUser.get(ApiPath.of("whoami"), null);
    } catch (CtlException e) {
      if (e.exitCode() == ExitCodes.NO_PERMISSION) {
        throw new CtlException(ExitCodes.DATA_ERROR, "failed to authenticate user \"" + name + "\"");
      }
      throw e;
    }
    session.output().banner("Success");
    return ExitCodes.OK;
  }

  /** The API answers tags as a list (3.9+) or a comma-separated string (older); PUT takes the string. */
  static String tags(JsonNode user) {
    JsonNode tags = user.path("tags");
    if (tags.isArray()) {
      List<String> names = new ArrayList<>();
      tags.forEach(tag -> names.add(tag.asText()));
      return String.join(",", names);
    }
    return tags.asText("");
  }

  private String readPassword() {
    try {
      String line = session.secret("Password: ");
      if (line == null || line.isEmpty()) {
        throw new CtlException(ExitCodes.USAGE, "no password given: pass it as an argument or on standard input");
      }
      return line;
    } catch (IOException e) {
      throw new CtlException(ExitCodes.IO_ERROR, "cannot read the password from standard input: " + e.getMessage());
    }
  }
}
