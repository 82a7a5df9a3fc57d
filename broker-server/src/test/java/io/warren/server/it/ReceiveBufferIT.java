package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.store.MessageQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While credit flow holds a publisher back the broker does not read its socket, and what the kernel still takes in
 * for it is bounded by the connection's receive buffer (warren.amqp.receive-buffer, 128 KiB by default) rather than
 * by Linux's autotuning, which grows it to megabytes: every message held there would wait its turn, ahead of the
 * consumer, once the publisher resumes.
 */
class ReceiveBufferIT {
  private static final int MB = 1 << 20;
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aPausedPublisherOfLargeMessagesGetsLittleIntoTheBrokersSocket() throws Exception {
    ConnectionFactory f = broker.factory();
    // a fixed send buffer on the client's side (as PerfTest's 64 KiB), so that what the publisher got written is
    // what the broker's side took in, plus at most that
    f.setSocketConfigurator(s -> {
      s.setTcpNoDelay(true);
      s.setSendBufferSize(64 * 1024);
    });
    try (Connection publisherConn = f.newConnection("large-publisher"); Connection other = broker.connect()) {
      Channel admin = other.createChannel();
      String q = admin.queueDeclare("receive-buffer-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      queue.updateFeatures(() -> { // holds the queue's executor: everything published stays in its inbox
        held.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return queue.features();
      });
      assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

      int messages = 80;
      AtomicInteger published = new AtomicInteger();
      Channel pub = publisherConn.createChannel();
      Thread publisher = new Thread(() -> {
        try {
          for (int i = 0; i < messages; i++) {
            pub.basicPublish("", q, null, new byte[MB]);
            published.incrementAndGet();
          }
        } catch (Exception e) {
          // counted below
        }
      }, "large-publisher");
      publisher.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> "flow".equals(broker.connectionState("large-publisher")));
      int last;
      do { // until the client's writes stop: the socket buffers on both sides are full
        last = published.get();
        Thread.sleep(1000);
      } while (published.get() != last);
      long takenIn = queue.inbox().backlog() / (1 + (MB >> 12)); // messages the broker read (InboxCredit.units)
      assertThat(takenIn).isGreaterThan(0);
      // at most the client's 128 KiB send buffer and the broker's 256 KiB receive buffer (0 was measured); with the
      // buffer left to Linux's autotuning, 4 were
      assertThat(published.get() - takenIn).as("messages written by the client but not read by the broker")
          .isLessThanOrEqualTo(2);

      release.countDown();
      publisher.join(60_000);
      assertThat(published.get()).isEqualTo(messages);
      await().atMost(Duration.ofSeconds(30)).until(() -> queue.messageCount() == messages);
      admin.queueDelete(q);
    }
  }

}
