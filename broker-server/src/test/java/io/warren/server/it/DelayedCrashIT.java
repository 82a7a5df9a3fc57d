package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a broker (its own JVM) holding confirmed delayed messages, some already due and delivered, most still
 * scheduled: after a restart every confirmed one is delivered, the due ones at once and the rest when due.
 */
class DelayedCrashIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path logDir;
  private Process broker;
  private int port;

  @AfterEach
  void kill() {
    if (broker != null) {
      broker.destroyForcibly();
    }
  }

  private void startBroker() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", classpath, "io.warren.server.Main");
    pb.environment().put("WARREN_AMQP_PORT", Integer.toString(port));
    pb.environment().put("WARREN_DATA_DIR", dataDir.toString());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        logDir.resolve("broker.log").toFile()));
    broker = pb.start();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> {
          connect().close();
          return true;
        });
  }

  private Connection connect() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(5000);
    return f.newConnection();
  }

  @Test
  void confirmedDelayedMessagesSurviveKillNine() throws Exception {
    startBroker();
    int count = 300;
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("later", "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
      ch.queueDeclare("due", true, false, false, null);
      ch.queueBind("due", "later", "k");
      ch.confirmSelect();
      for (int i = 0; i < count; i++) {
        // a third due before the kill, the rest after the restart
        long delay = i % 3 == 0 ? 50 : 15_000 + i; // far enough for a slow restart on a loaded machine
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
            .headers(Map.of("x-delay", delay)).build();
        ch.basicPublish("later", "k", props, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(10_000);
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("due") == count / 3);
    }
    broker.destroyForcibly(); // SIGKILL
    broker.waitFor();
    broker = null;
    startBroker();
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      assertThat(ch.messageCount("due")).as("the due ones are back, the others not yet due")
          .isGreaterThanOrEqualTo(count / 3).isLessThan(count);
      Set<String> seen = new HashSet<>();
      List<String> all = new ArrayList<>();
      await().atMost(Duration.ofSeconds(45)).until(() -> {
        GetResponse g;
        while ((g = ch.basicGet("due", true)) != null) {
          String body = new String(g.getBody(), StandardCharsets.UTF_8);
          all.add(body);
          seen.add(body);
        }
        return seen.size() == count;
      });
      assertThat(all).as("no message twice").doesNotHaveDuplicates();
    }
  }
}
