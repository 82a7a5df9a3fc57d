package io.warren.ctl;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * What one invocation's verb works with: the parsed global options, the API client built from them, the output
 * and standard input. Created per invocation; confined to the thread that runs it.
 */
public final class Session {
  private final Warrenctl options;
  private final PrintWriter out;
  private final BufferedReader in;
  private ApiClient api;

  Session(Warrenctl options, PrintWriter out, BufferedReader in) {
    this.options = options;
    this.out = out;
    this.in = in;
  }

  public ApiClient api() {
    if (api == null) {
      api = new ApiClient(options.host, options.port, options.username, options.password,
          Duration.ofSeconds(Math.max(1, options.timeoutSeconds)));
    }
    return api;
  }

  public Output output() {
    return new Output(out, options.formatter, options.quiet);
  }

  /** The vhost given with -p/--vhost, or {@code /}. */
  public String vhost() {
    return options.vhost == null ? "/" : options.vhost;
  }

  /** True when -p/--vhost was given, for verbs whose default is every vhost. */
  public boolean vhostGiven() {
    return options.vhost != null;
  }

  public BufferedReader in() {
    return in;
  }
}
