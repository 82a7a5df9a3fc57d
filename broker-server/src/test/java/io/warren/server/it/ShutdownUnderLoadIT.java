package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A broker closed while persistent publishes with confirms are in flight closes cleanly: no ERROR in its log. */
class ShutdownUnderLoadIT {

  @Test
  void closingWhileConfirmsArePendingLogsNoError() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger warren = context.getLogger("io.warren");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    warren.addAppender(lines);
    try {
      for (int round = 0; round < 3; round++) {
        BrokerFixture broker = BrokerFixture.start();
        AtomicLong published = new AtomicLong();
        CountDownLatch going = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
          try (Connection c = broker.connect()) {
            Channel ch = c.createChannel();
            ch.queueDeclare("shutdown-q", true, false, false, null);
            ch.confirmSelect();
            byte[] body = new byte[512];
            while (true) { // until the broker closes the connection under it
              ch.basicPublish("", "shutdown-q", MessageProperties.PERSISTENT_BASIC, body);
              if (published.incrementAndGet() == 2000) {
                going.countDown();
              }
            }
          } catch (Exception expected) {
            // the broker went away
          } finally {
            going.countDown();
          }
        }, "shutdown-publisher");
        publisher.start();
        assertThat(going.await(30, TimeUnit.SECONDS)).isTrue();
        broker.close();
        publisher.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(publisher.isAlive()).isFalse();
        assertThat(published.get()).isGreaterThanOrEqualTo(2000);
      }
      List<String> errors = lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getClassName() : ""))
          .toList();
      assertThat(errors).isEmpty();
    } finally {
      warren.detachAppender(lines);
    }
  }
}
