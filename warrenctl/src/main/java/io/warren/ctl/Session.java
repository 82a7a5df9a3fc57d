package io.warren.ctl;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * What one invocation's verb works with: the parsed global options, the API client built from them, the output
 * and standard input. Created per invocation; confined to the thread that runs it.
 */
public final class Session {
  private final Warrenctl options;
  private final PrintWriter out;
  private final BufferedReader in;
  private final Console console;
  private ApiClient api;

  Session(Warrenctl options, PrintWriter out, BufferedReader in, Console console) {
    this.options = options;
    this.out = out;
    this.in = in;
    this.console = console;
  }

  public ApiClient api() {
    if (api == null) {
      api = new ApiClient(options.apiHost(), options.port, options.username, options.password,
          Duration.ofSeconds(Math.max(1, options.timeoutSeconds)));
    }
    return api;
  }

  public Output output() {
    return new Output(out, options.formatter, options.quiet);
  }

  /** rabbitmqctl's node name as given with -n, or null. */
  public String node() {
    return options.node;
  }

  /** The vhost given with -p/--vhost, or {@code /}. */
  public String vhost() {
    return options.vhost == null ? "/" : options.vhost;
  }

  /** True when -p/--vhost was given, for verbs whose default is every vhost. */
  public boolean vhostGiven() {
    return options.vhost != null;
  }

  /**
   * What every list verb does: prints the banner, then the objects the API answers at {@code path} as a table of
   * {@code columns}; {@code missing} says what a 404 means (null: not expected).
   */
  public int list(String banner, List<Column> columns, ApiPath path, Missing missing, boolean headers) {
    Output output = output();
    output.banner(banner);
    output.table(columns, api().get(path, missing), headers);
    return ExitCodes.OK;
  }

  public BufferedReader in() {
    return in;
  }

  /** A secret typed at the terminal without echo, or the first line of standard input when it is not a terminal. */
  public String secret(String prompt) throws IOException {
    if (console != null) {
      char[] typed = console.readPassword("%s", prompt);
      return typed == null ? null : new String(typed);
    }
    return in.readLine();
  }
}
