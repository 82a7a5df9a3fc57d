package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.server.config.BrokerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Above the memory high watermark a publishing connection is blocked with connection.blocked. */
class MemoryAlarmIT {
  @Test
  void publisherIsBlockedWhenMemoryIsLow() throws Exception {
    // a watermark this small is always exceeded: the alarm is raised as soon as the broker checks
    try (BrokerFixture broker = BrokerFixture.start(c -> {
      BrokerConfig.Limits l = c.limits();
      return c.withLimits(new BrokerConfig.Limits(l.frameMax(), l.channelMax(), l.heartbeatSeconds(),
          l.maxMessageSize(), l.handshakeTimeoutMillis(), 0.000001));
    })) {
      Connection conn = broker.connect();
      AtomicReference<String> reason = new AtomicReference<>();
      conn.addBlockedListener(new BlockedListener() {
        @Override
        public void handleBlocked(String r) {
          reason.set(r);
        }

        @Override
        public void handleUnblocked() {
        }
      });
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare().getQueue();
      await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().memoryAlarm().raised());
      ch.basicPublish("", q, null, new byte[100]);
      await().atMost(Duration.ofSeconds(5)).until(() -> reason.get() != null);
      assertThat(reason.get()).isEqualTo("low on memory");
      assertThat(conn.isOpen()).isTrue();
      // a blocked connection is not read from, so its close handshake cannot complete (as in RabbitMQ)
      conn.abort(1000);
    }
  }
}
