package io.warren.ctl;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One in-process warrenctl invocation's exit code, stdout and stderr, as a script would see them. */
record Run(int code, String out, String err) {

  /** Runs warrenctl against localhost:{port} with {@code args}, standard input {@code stdin}. */
  static Run withInput(int port, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Warrenctl.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        new BufferedReader(new StringReader(stdin)));
    return new Run(code, out.toString(), err.toString());
  }

  static Run warrenctl(int port, String... args) {
    return withInput(port, "", args);
  }
}
