package io.warren.ctl;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * warrenctl: rabbitmqctl's verbs, options and output over the RabbitMQ-compatible management HTTP API. The
 * global options may come before or after the verb, as with rabbitmqctl. Runs on the calling thread; one
 * invocation per instance.
 */
@Command(name = "warrenctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Manages a running Warren broker over its management HTTP API (any RabbitMQ-compatible "
        + "management API works too), with rabbitmqctl's verbs. 'warrenctl <verb> --help' describes a verb.",
    footer = {"", "Exit codes (rabbitmqctl's): 0 done; 64 bad command line; 65 input rejected by the broker or "
        + "malformed; 67 no such user; 69 API unreachable or object does not exist; 70 unexpected answer or "
        + "object already exists; 74 local file error; 75 timeout; 77 bad credentials or not allowed."},
    sortOptions = false)
public final class Warrenctl implements Callable<Integer> {
  /** The groups of verbs; each public method annotated with @Command is one verb. */
  private static final List<Class<?>> VERBS = List.of(QueueCommands.class, ExchangeCommands.class,
      ConnectionCommands.class, VhostCommands.class, UserCommands.class, UserLimitCommands.class,
      PermissionCommands.class, PolicyCommands.class, DefinitionCommands.class, NodeCommands.class,
      SettingCommands.class);

  @Option(names = "--host", scope = ScopeType.INHERIT,
      description = "host of the management API (default: env WARRENCTL_HOST, else the host part of -n, else localhost)")
  String host;

  @Option(names = {"-n", "--node"}, scope = ScopeType.INHERIT, paramLabel = "<name@host>",
      description = "rabbitmqctl's node name; its host part is the management API's host when --host is not given "
          + "(Warren is one node per API)")
  String node;

  @Option(names = "--port", scope = ScopeType.INHERIT, defaultValue = "${WARREN_HTTP_PORT:-15672}",
      description = "port of the management API (default ${DEFAULT-VALUE}; env WARREN_HTTP_PORT)")
  int port;

  @Option(names = "--username", scope = ScopeType.INHERIT, defaultValue = "${WARRENCTL_USERNAME:-guest}",
      description = "user to log in as (default ${DEFAULT-VALUE}; env WARRENCTL_USERNAME)")
  String username;

  @Option(names = "--password", scope = ScopeType.INHERIT, defaultValue = "${WARRENCTL_PASSWORD:-guest}",
      description = "password (default guest; env WARRENCTL_PASSWORD keeps it off the command line)",
      showDefaultValue = CommandLine.Help.Visibility.NEVER)
  String password;

  @Option(names = {"-p", "--vhost"}, scope = ScopeType.INHERIT,
      description = "virtual host (default /; export_definitions and import_definitions: all vhosts)")
  String vhost;

  @Option(names = "--formatter", scope = ScopeType.INHERIT, defaultValue = "table",
      description = "table (tab-separated with a header line) or json (an array of objects); default table")
  Formatter formatter;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "print data only, no informational lines")
  boolean quiet;

  @Option(names = {"-t", "--timeout"}, scope = ScopeType.INHERIT, defaultValue = "60",
      description = "seconds to wait for the API (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Spec
  CommandSpec spec;

  /** The API's host: --host, else WARRENCTL_HOST, else the host part of rabbitmqctl's -n name@host, else localhost. */
  String apiHost() {
    if (host != null && !host.isBlank()) {
      return host;
    }
    String env = System.getenv("WARRENCTL_HOST");
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (node != null && node.indexOf('@') >= 0 && node.indexOf('@') < node.length() - 1) {
      return node.substring(node.indexOf('@') + 1);
    }
    return "localhost";
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // a terminal: passwords not given as arguments are asked for without echo
    System.exit(run(args, out, err, in, System.console()));
  }

  /** Runs one invocation and answers its exit code; what a script would see on stdout and stderr goes to out/err. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, BufferedReader in) {
    return run(args, out, err, in, null);
  }

  private static int run(String[] args, PrintWriter out, PrintWriter err, BufferedReader in, Console console) {
    Warrenctl root = new Warrenctl();
    Session session = new Session(root, out, in, console);
    CommandLine cli = new CommandLine(root);
    Map<Class<?>, Object> groups = new HashMap<>();
    for (Class<?> group : VERBS) {
      try {
        groups.put(group, group.getDeclaredConstructor(Session.class).newInstance(session));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("verb group " + group + " needs a public (Session) constructor", e);
      }
      for (Method method : CommandLine.getCommandMethods(group, null)) {
        CommandLine verb = new CommandLine(method);
        cli.addSubcommand(verb);
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setExecutionStrategy(parsed -> execute(parsed, root, groups, out, err))
        .setParameterExceptionHandler((e, a) -> {
          String notHere = e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
              ? RabbitmqctlOnly.reason(u.getUnmatched().get(0)) : null;
          if (notHere != null) {
            err.println("Error: '" + ((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0)
                + "' is a rabbitmqctl verb warrenctl does not have: " + notHere);
            err.flush();
            return ExitCodes.USAGE;
          }
          err.println("Error: " + e.getMessage());
          e.getCommandLine().usage(err);
          err.flush();
          return ExitCodes.USAGE;
        })
        .setExecutionExceptionHandler((e, c, parsed) -> fail(e, out, err));
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Runs the verb on its group's instance (picocli would call a method subcommand on its parent command's
   * object, and the verbs live in groups of their own).
   */
  private static int execute(ParseResult parsed, Warrenctl root, Map<Class<?>, Object> groups, PrintWriter out,
      PrintWriter err) {
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    if (!(leaf.commandSpec().userObject() instanceof Method verb)) {
      return root.call();
    }
    try {
      return (Integer) verb.invoke(groups.get(verb.getDeclaringClass()), parameterValues(leaf.commandSpec()));
    } catch (InvocationTargetException e) {
      return fail(e.getCause(), out, err);
    } catch (IllegalAccessException e) {
      return fail(e, out, err);
    }
  }

  /**
   * The parsed arguments in the verb method's parameter order. picocli computes them but keeps the accessor
   * package-private (4.7.x); it is the only way to invoke a method subcommand on an object other than the parent
   * command's, and VerbsTest runs every verb, so a picocli upgrade that changes it fails the build.
   */
  private static Object[] parameterValues(CommandSpec verb) throws IllegalAccessException {
    try {
      Method values = CommandSpec.class.getDeclaredMethod("commandMethodParamValues");
      values.setAccessible(true);
      return (Object[]) values.invoke(verb);
    } catch (NoSuchMethodException | InvocationTargetException e) {
      throw new IllegalStateException("this picocli version does not expose a verb's parsed parameters", e);
    }
  }

  private static int fail(Throwable e, PrintWriter out, PrintWriter err) {
    out.flush();
    if (e instanceof CtlException failure) {
      err.println("Error: " + failure.getMessage());
      err.flush();
      return failure.exitCode();
    }
    err.println("Error: " + e);
    err.flush();
    return ExitCodes.SOFTWARE;
  }
}
