package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * export_definitions and import_definitions in RabbitMQ's definitions JSON format: every vhost, or one with
 * -p/--vhost. Runs on the invoking thread.
 */
public final class DefinitionCommands {
  private final Session session;

  public DefinitionCommands(Session session) {
    this.session = session;
  }

  @Command(name = "export_definitions", mixinStandardHelpOptions = true, description = "Writes vhosts, users, permissions, policies, queues, "
      + "exchanges and bindings as RabbitMQ's definitions JSON to <path>, or to standard output with '-'. With "
      + "-p, only that vhost's objects.")
  public int exportDefinitions(@Parameters(paramLabel = "<path>", description = "file to write, or -") String path) {
    ApiPath api = session.vhostGiven() ? ApiPath.of("definitions", session.vhost()) : ApiPath.of("definitions");
    boolean toStdout = "-".equals(path);
    if (!toStdout) {
      session.output().banner("Exporting definitions in JSON to a file at \"" + path + "\" ...");
    }
    JsonNode definitions = session.api().get(api, session.vhostGiven() ? Missing.vhost(session.vhost()) : null);
    String text;
    try {
      text = ApiClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(definitions)
          + System.lineSeparator();
    } catch (IOException e) {
      throw new CtlException(ExitCodes.SOFTWARE, "cannot encode the definitions: " + e.getMessage());
    }
    if (toStdout) {
      session.output().raw(text);
      return ExitCodes.OK;
    }
    try {
      Files.writeString(Path.of(path), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CtlException(ExitCodes.IO_ERROR, "cannot write " + path + ": " + e.getMessage());
    }
    return ExitCodes.OK;
  }

  @Command(name = "import_definitions", mixinStandardHelpOptions = true, description = "Applies a definitions file (RabbitMQ's JSON format, e.g. "
      + "exported from RabbitMQ or by export_definitions) read from <path>, or from standard input with '-'. "
      + "With -p, the file's objects go into that vhost. Exits with 65 and lists what the broker could not apply.")
  public int importDefinitions(@Parameters(paramLabel = "<path>", description = "file to read, or -") String path) {
    String text;
    try {
      text = "-".equals(path) ? session.in().lines().collect(Collectors.joining("\n"))
          : Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CtlException(ExitCodes.IO_ERROR, "cannot read " + path + ": " + e.getMessage());
    }
    JsonNode definitions = Json.object(text, "the definitions " + ("-".equals(path) ? "on standard input" : path));
    session.output().banner("Importing definitions in JSON from " + ("-".equals(path) ? "standard input"
        : "a file at \"" + path + "\"") + " ...");
    ApiPath api = session.vhostGiven() ? ApiPath.of("definitions", session.vhost()) : ApiPath.of("definitions");
    JsonNode reply = session.api().post(api, definitions,
        session.vhostGiven() ? Missing.vhost(session.vhost()) : null);
    JsonNode notApplied = reply == null ? null : reply.path("not_applied");
    if (notApplied != null && notApplied.isArray() && !notApplied.isEmpty()) {
      // Warren answers 200 with what it applied and what it could not; nothing is dropped silently
      if (session.output().formatter() == Formatter.JSON) {
        session.output().raw(Output.compact(reply) + System.lineSeparator());
      }
      StringBuilder message = new StringBuilder("the definitions were imported except " + notApplied.size()
          + " that could not be applied:");
      for (JsonNode item : notApplied) {
        message.append(System.lineSeparator()).append("  ").append(item.path("kind").asText("object")).append(" '")
            .append(item.path("name").asText("")).append("': ").append(item.path("reason").asText(""));
      }
      throw new CtlException(ExitCodes.DATA_ERROR, message.toString());
    }
    session.output().banner("Definitions imported.");
    return ExitCodes.OK;
  }
}
