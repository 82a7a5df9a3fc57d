package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.warren.server.Broker;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Below the free-disk limit publishers are blocked ("low on disk") and resume once space is back. */
class DiskAlarmIT {
  private static final long LIMIT = 50L * 1024 * 1024;

  @Test
  void publisherIsBlockedWhileDiskIsLowAndResumesAfterwards() throws Exception {
    Path dir = Files.createTempDirectory("warren-it");
    BrokerConfig config = ConfigLoader.defaults().withPort(0).withDataDir(dir);
    config = config.withLimits(config.limits().withDiskFreeLimit(LIMIT));
    AtomicLong free = new AtomicLong(10 * LIMIT);
    try (Broker broker = Broker.start(config, Clock.systemUTC(), free::get)) {
      ConnectionFactory f = new ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(broker.port());
      Connection conn = f.newConnection();
      List<String> events = BlockedEvents.recordOn(conn);
      Channel ch = conn.createChannel();
      ch.confirmSelect();
      ch.queueDeclare("d", true, false, false, null);
      ch.basicPublish("", "d", MessageProperties.PERSISTENT_BASIC, "before".getBytes());
      ch.waitForConfirmsOrDie(5000);

      free.set(LIMIT - 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> broker.diskAlarm().raised());
      assertThat(broker.raisedAlarm()).isSameAs(broker.diskAlarm());
      // as in RabbitMQ, the alarm blocks a connection when it publishes: that publish waits for the alarm to clear
      ch.basicPublish("", "d", MessageProperties.PERSISTENT_BASIC, "during".getBytes());
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("blocked: low on disk"));
      Channel other = f.newConnection().createChannel();
      assertThat(other.queueDeclarePassive("d").getMessageCount()).isEqualTo(1);

      free.set(LIMIT);
      await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("unblocked"));
      ch.waitForConfirmsOrDie(5000);
      assertThat(other.queueDeclarePassive("d").getMessageCount()).isEqualTo(2);
      assertThat(events).containsExactly("blocked: low on disk", "unblocked");
      other.getConnection().close();
      conn.close();
    }
  }
}
