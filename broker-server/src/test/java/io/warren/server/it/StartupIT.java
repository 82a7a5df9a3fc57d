package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warren.server.Broker;
import io.warren.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the broker the way bin/warren does (io.warren.server.Main in its own JVM) to check that the real
 * environment and -D properties reach the configuration, that SIGTERM stops it cleanly, and that startup errors
 * end the process with a message naming the culprit; and the cold-start aids bin/warren uses (the warm-up before the
 * listen, the class-data archive run).
 */
class StartupIT {
  @TempDir
  Path dir;

  /** When set, the classpath of the JVMs launched (the class-data archive takes classes from jars only). */
  private String jarredClasspath;

  /**
   * The test classpath with each main-classes folder (this module's and the reactor's others) packed into a jar of
   * its own in {@code into}, and the test-classes folders left out: as bin/warren's classpath, all jars.
   */
  private static String jarred(Path into) throws IOException {
    List<String> entries = new ArrayList<>();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String e : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      if (!Files.isDirectory(p)) {
        entries.add(e);
      } else if (!p.getFileName().toString().equals("test-classes")) {
        Path jar = into.resolve(entries.size() + ".jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.walk(p)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            out.putNextEntry(new java.util.jar.JarEntry(p.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, out);
            out.closeEntry();
          }
        }
        entries.add(jar.toString());
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts Main in a new JVM with the test classpath; stdout and stderr go to {@code log}. */
  private Process launch(Path log, Map<String, String> env, List<String> jvmArgs, String... mainArgs)
      throws IOException {
    return launchClass("io.warren.server.Main", log, env, jvmArgs, mainArgs);
  }

  private Process launchClass(String mainClass, Path log, Map<String, String> env, List<String> jvmArgs,
      String... mainArgs) throws IOException {
    String classpath = jarredClasspath != null ? jarredClasspath
        : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-Dlogback.configurationFile=" + Path.of("..", "conf", "logback.xml").toAbsolutePath(),
        // the management port is ephemeral: 15672 may be taken on a machine running other brokers
        "-Dwarren.http.port=0"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", classpath, mainClass));
    cmd.addAll(List.of(mainArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    for (String var : ConfigLoader.ENVIRONMENT.keySet()) {
      pb.environment().remove(var); // the surrounding shell's settings must not leak into the test
    }
    pb.environment().putAll(env);
    return pb.start();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitListening(Process p, int port, Path log) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!p.isAlive()) {
        throw new AssertionError("broker exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      return listening(port);
    });
  }

  private static void roundTrip(int port) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setAutomaticRecoveryEnabled(false);
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.confirmSelect();
      ch.basicPublish("", q, null, "hello".getBytes());
      ch.waitForConfirmsOrDie(5000);
      GetResponse r = ch.basicGet(q, true);
      assertThat(r).isNotNull();
      assertThat(new String(r.getBody())).isEqualTo("hello");
    }
  }

  /** SIGTERM (Process.destroy), then the JVM's usual 128+15 exit status after the shutdown hook ran. */
  private static void terminate(Process p, Path log) throws Exception {
    p.destroy();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Files.readString(log)).contains("Stopping Warren");
  }

  @Test
  void environmentOverridesTheConfigFileAndSystemPropertiesOverrideTheEnvironment() throws Exception {
    int filePort = freePort();
    int envPort = freePort();
    int propertyPort = freePort();
    Path conf = dir.resolve("my.conf");
    Path fileData = dir.resolve("file-data");
    Path envData = dir.resolve("env-data");
    Files.writeString(conf, "warren.amqp.port = " + filePort + "\nwarren.data-dir = \"" + fileData + "\"\n");
    Path log = dir.resolve("broker.log");
    Process p = launch(log, Map.of("WARREN_AMQP_PORT", String.valueOf(envPort), "WARREN_DATA_DIR", envData.toString()),
        List.of("-Dwarren.amqp.port=" + propertyPort), "--config", conf.toString());
    try {
      awaitListening(p, propertyPort, log);
      roundTrip(propertyPort);
      assertThat(listening(envPort)).isFalse();
      assertThat(listening(filePort)).isFalse();
      assertThat(envData).isDirectory();
      assertThat(fileData).doesNotExist();
      terminate(p, log);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void environmentPortAloneBeatsTheFile() throws Exception {
    int filePort = freePort();
    int envPort = freePort();
    Path conf = dir.resolve("my.conf");
    Files.writeString(conf, "warren.amqp.port = " + filePort + "\n");
    Path log = dir.resolve("broker.log");
    Process p = launch(log, Map.of("WARREN_AMQP_PORT", String.valueOf(envPort),
        "WARREN_DATA_DIR", dir.resolve("data").toString()), List.of(), "--config", conf.toString());
    try {
      awaitListening(p, envPort, log);
      roundTrip(envPort);
      assertThat(listening(filePort)).isFalse();
      terminate(p, log);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aDataDirThatCannotBeCreatedStopsStartupNamingThePath() throws Exception {
    Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path impossible = blocker.resolve("data");
    Path log = dir.resolve("broker.log");
    Process p = launch(log, Map.of("WARREN_AMQP_PORT", "0", "WARREN_DATA_DIR", impossible.toString()), List.of());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log)).contains("Warren could not start: data directory " + impossible
        + " cannot be created");

    assertThatThrownBy(() -> Broker.start(ConfigLoader.load(null, Map.of(), new java.util.Properties())
        .withPort(0).withDataDir(impossible)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(impossible.toString());
  }

  @Test
  void aBadConfigValueStopsStartupNamingTheKey() throws Exception {
    Path log = dir.resolve("broker.log");
    Process p = launch(log, Map.of("WARREN_AMQP_PORT", "five-six-seven-two", "WARREN_DATA_DIR",
        dir.resolve("data").toString()), List.of());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log)).contains("Warren could not start: invalid configuration: environment variable "
        + "WARREN_AMQP_PORT: warren.amqp.port has type STRING rather than NUMBER");
  }

  @Test
  void warmUpBeforeListenEndsBeforeThePortOpensAndLeavesNothingBehind() throws Exception {
    int port = freePort();
    Path data = dir.resolve("data");
    Path log = dir.resolve("broker.log");
    Process p = launch(log, Map.of("WARREN_AMQP_PORT", String.valueOf(port), "WARREN_DATA_DIR", data.toString()),
        List.of("-Dwarren.warm-up.before-listen=true", "-Dwarren.warm-up.max-time=2s"));
    try {
      awaitListening(p, port, log);
      String out = Files.readString(log);
      int warmedUp = out.indexOf("delivered through a scratch broker in");
      int listens = out.indexOf("listening for AMQP 0-9-1 on 0.0.0.0:" + port);
      assertThat(warmedUp).as("the warm-up's end in the log").isPositive();
      assertThat(listens).as("the node's listen in the log").isPositive();
      assertThat(warmedUp).as("the warm-up ends before the node listens").isLessThan(listens);
      assertThat(out).doesNotContain("Warm-up failed");
      assertThat(data.resolve("warmup")).doesNotExist();
      roundTrip(port);
      terminate(p, log);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theClassArchiveRunWritesAnArchiveALaterStartMaps() throws Exception {
    jarredClasspath = jarred(Files.createDirectory(dir.resolve("jars")));
    Path archive = dir.resolve("warren.jsa");
    Path log = dir.resolve("archive-run.log");
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Process run = launchClass("io.warren.server.tools.ClassArchiveRun", log, Map.of(),
        List.of("-XX:ArchiveClassesAtExit=" + archive, "-Djava.io.tmpdir=" + tmp));
    try {
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("archive run ended").isTrue();
      assertThat(run.exitValue()).as(Files.readString(log)).isZero();
    } finally {
      run.destroyForcibly();
    }
    assertThat(Files.size(archive)).isPositive();
    try (var left = Files.list(tmp)) {
      assertThat(left.toList()).as("left in the temporary folder").isEmpty();
    }

    // -Xshare:on makes an archive the JVM cannot map fail the start instead of being skipped
    int port = freePort();
    Path nodeLog = dir.resolve("broker.log");
    Process p = launch(nodeLog, Map.of("WARREN_AMQP_PORT", String.valueOf(port), "WARREN_DATA_DIR",
        dir.resolve("data").toString()), List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-Xlog:class+load=info:file=" + dir.resolve("classes.txt")));
    try {
      awaitListening(p, port, nodeLog);
      roundTrip(port);
      assertThat(Files.readAllLines(dir.resolve("classes.txt")))
          .anyMatch(l -> l.contains("io.warren.server.Broker ") && l.contains("shared objects file (top)"))
          .anyMatch(l -> l.contains("io.netty.") && l.contains("shared objects file (top)"));
      terminate(p, nodeLog);
    } finally {
      p.destroyForcibly();
    }
  }
}
