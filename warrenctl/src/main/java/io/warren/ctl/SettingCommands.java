package io.warren.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Verbs that change the node's settings while it runs, through Warren's own /api/node routes (RabbitMQ's HTTP API
 * has none): set_vm_memory_high_watermark, set_disk_free_limit, and eval for the few Erlang expressions that raise
 * or clear an alarm or set channel_max ({@link EvalForm}). As in RabbitMQ, nothing is kept across a restart. Runs on
 * the invoking thread.
 */
public final class SettingCommands {
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+");
  private static final Missing NOT_WARREN = Missing.of("this management API has no /api/node settings routes "
      + "(they are Warren's own): is it a Warren broker?");

  private final Session session;

  public SettingCommands(Session session) {
    this.session = session;
  }

  @Command(name = "set_vm_memory_high_watermark", mixinStandardHelpOptions = true,
      description = {"Sets the memory high watermark until the broker restarts: a fraction (0 to 1) of the memory it "
          + "may count on, or 'absolute <bytes>' (units: k, kiB, M, MiB, G, GiB are powers of 1024; kB, MB, GB of "
          + "1000). Above it publishers are blocked; 0 blocks them at once.",
          "  set_vm_memory_high_watermark 0.4", "  set_vm_memory_high_watermark absolute 2GB"})
  public int setVmMemoryHighWatermark(
      @Parameters(paramLabel = "<fraction> | absolute <value>", arity = "1..2") List<String> args) {
    ObjectNode body = ApiClient.json().createObjectNode();
    if (args.size() == 2 && args.get(0).equals("absolute")) {
      body.put("absolute", args.get(1));
      session.output().banner("Setting memory threshold to " + args.get(1) + " bytes ...");
    } else if (args.size() == 1) {
      double fraction = decimal(args.get(0), "the memory high watermark");
      if (fraction > 1) {
        throw new CtlException(ExitCodes.USAGE, "the memory high watermark must be a fraction between 0.0 and 1.0, "
            + "got " + args.get(0) + " (or use 'absolute <bytes>')");
      }
      body.put("relative", fraction);
      session.output().banner("Setting memory threshold to " + args.get(0) + " ...");
    } else {
      throw new CtlException(ExitCodes.USAGE, "usage: set_vm_memory_high_watermark <fraction> | "
          + "set_vm_memory_high_watermark absolute <value>");
    }
    session.api().put(ApiPath.of("node").then("memory-high-watermark"), body, NOT_WARREN);
    return ExitCodes.OK;
  }

  @Command(name = "set_disk_free_limit", mixinStandardHelpOptions = true,
      description = {"Sets the free disk space below which publishers are blocked, until the broker restarts: bytes "
          + "(units as set_vm_memory_high_watermark absolute), or 'mem_relative <ratio>' of the memory limit.",
          "  set_disk_free_limit 1GB", "  set_disk_free_limit mem_relative 1.5"})
  public int setDiskFreeLimit(
      @Parameters(paramLabel = "<disk_limit> | mem_relative <fraction>", arity = "1..2") List<String> args) {
    ObjectNode body = ApiClient.json().createObjectNode();
    if (args.size() == 2 && args.get(0).equals("mem_relative")) {
      body.put("mem_relative", decimal(args.get(1), "the mem_relative ratio"));
      session.output().banner("Setting disk free limit to " + args.get(1) + " times the total memory ...");
    } else if (args.size() == 1) {
      body.put("absolute", args.get(0));
      session.output().banner("Setting disk free limit to " + args.get(0) + " bytes ...");
    } else {
      throw new CtlException(ExitCodes.USAGE, "usage: set_disk_free_limit <disk_limit> | "
          + "set_disk_free_limit mem_relative <fraction>");
    }
    session.api().put(ApiPath.of("node").then("disk-free-limit"), body, NOT_WARREN);
    return ExitCodes.OK;
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = {"Warren is not an Erlang node: eval understands only these expressions, which it runs as "
          + "Warren's own operations (alarms raised by hand stay until cleared by hand; channel_max applies to "
          + "connections opened afterwards, 0 restores the configured value; nothing survives a restart):",
          "  'rabbit_alarm:set_alarm({{resource_limit, memory, node()}, []}).'   (or disk)",
          "  'rabbit_alarm:clear_alarm({resource_limit, memory, node()}).'",
          "  'application:set_env(rabbit, channel_max, 2048).'"})
  public int eval(@Parameters(paramLabel = "<expression>") String expression) {
    EvalForm form = EvalForm.parse(expression);
    if (form == null) {
      throw new CtlException(ExitCodes.USAGE, "Warren is not an Erlang node: there is nothing to evaluate Erlang in; "
          + "warrenctl's eval understands only " + EvalForm.KNOWN);
    }
    if (form instanceof EvalForm.Alarm alarm) {
      ApiPath path = ApiPath.of("node").then("alarms").then(alarm.resource());
      if (alarm.raise()) {
        session.api().put(path, ApiClient.json().createObjectNode(), NOT_WARREN);
      } else {
        session.api().delete(path, Map.of(), NOT_WARREN);
      }
    } else if (form instanceof EvalForm.ChannelMax max) {
      ObjectNode body = ApiClient.json().createObjectNode().put("value", max.value());
      session.api().put(ApiPath.of("node").then("channel-max"), body, NOT_WARREN);
    }
    // what rabbitmqctl prints: the expression's value
    session.output().raw("ok" + System.lineSeparator());
    return ExitCodes.OK;
  }

  private static double decimal(String text, String what) {
    if (!DECIMAL.matcher(text).matches()) {
      throw new CtlException(ExitCodes.USAGE, what + " must be a decimal number, got '" + text + "'");
    }
    return Double.parseDouble(text);
  }
}
