package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
  private BrokerProcess broker;

  @BeforeEach
  void create() {
    broker = new BrokerProcess(dataDir, logDir);
  }

  @AfterEach
  void kill() {
    broker.close();
  }

  @Test
  void confirmedDelayedMessagesSurviveKillNine() throws Exception {
    broker.start();
    int count = 300;
    try (Connection c = broker.connect()) {
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
    broker.kill();
    broker.start();
    try (Connection c = broker.connect()) {
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
