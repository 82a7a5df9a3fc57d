package io.warren.server.it;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker in its own JVM (io.warren.server.Main), so that a crash test can kill -9 it and start it again on the same
 * data directory. Each start takes a fresh free port. Used from the test thread; connect() from any thread.
 */
final class BrokerProcess implements AutoCloseable {
  private final Path dataDir;
  private final Path log;
  private final List<String> jvmArgs;
  /** RLIMIT_FSIZE for the broker (KiB), so that its writes past that size fail with EFBIG like a full disk; 0: none. */
  private long fileSizeLimitKib;
  private Process process;
  private volatile int port;

  BrokerProcess(Path dataDir, Path logDir) {
    this(dataDir, logDir, List.of("-Xmx256m"));
  }

  /** @param jvmArgs options for the broker's JVM, e.g. -Xmx and -Dwarren.* settings */
  BrokerProcess(Path dataDir, Path logDir, List<String> jvmArgs) {
    this.dataDir = dataDir;
    this.log = logDir.resolve("broker.log");
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /** Starts the broker and returns once it accepts AMQP connections. */
  void start() throws Exception {
    start("io.warren.server.Main");
  }

  /** Starts {@code mainClass} (Main, or a test main that also reads commands from stdin). */
  void start(String mainClass) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    if (fileSizeLimitKib > 0) {
      command.addAll(List.of("bash", "-c", "ulimit -f " + fileSizeLimitKib + " && exec \"$0\" \"$@\""));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classpath, mainClass));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("WARREN_AMQP_PORT", Integer.toString(port));
    pb.environment().put("WARREN_DATA_DIR", dataDir.toString());
    pb.environment().put("WARREN_HTTP_PORT", "0");
    // appended, so the log of a run before a kill is kept next to the one after the restart
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> {
          connect().close();
          return true;
        });
  }

  /** Writes one line to the broker's stdin (read by a command-reading test main). */
  void send(String line) throws java.io.IOException {
    var in = process.getOutputStream();
    in.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    in.flush();
  }

  /** The broker's output so far (stdout and stderr). */
  String output() throws java.io.IOException {
    return java.nio.file.Files.readString(log);
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux
    process.waitFor();
    process = null;
  }

  /** From the next start on, the broker's writes fail once a file would grow past {@code kib} KiB (0: no limit). */
  void fileSizeLimit(long kib) {
    fileSizeLimitKib = kib;
  }

  /** Waits for the broker to exit on its own; returns its exit status, or -1 if it still runs after the timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      return -1;
    }
    int status = process.exitValue();
    process = null;
    return status;
  }

  /** The broker's process id (while it runs). */
  long pid() {
    return process.pid();
  }

  /** The broker's log so far. */
  String log() throws java.io.IOException {
    return java.nio.file.Files.readString(log);
  }

  Connection connect() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(5000);
    return f.newConnection();
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
