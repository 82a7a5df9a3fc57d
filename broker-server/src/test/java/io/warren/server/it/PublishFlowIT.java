package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warren.store.InboxCredit;
import io.warren.store.MessageQueue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credit flow: a publisher that runs ahead of its queue is no longer read from until the queue catches up, so the
 * queue's inbox stays bounded; nothing is lost, other connections are unaffected, heartbeats do not kill the paused
 * connection, and the registry shows it in the state "flow" meanwhile.
 */
class PublishFlowIT {
  private static final int MESSAGES = 40_000;
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
  void aPublisherAheadOfItsQueuePausesUntilTheQueueCatchesUpAndLosesNothing() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedHeartbeat(1); // the pause below outlasts two heartbeat intervals
    try (Connection publisherConn = f.newConnection("fast-publisher"); Connection other = broker.connect()) {
      Channel admin = other.createChannel();
      String q = admin.queueDeclare("flow-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();

      // Hold the queue's executor: from now on everything published stays in its inbox.
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      queue.updateFeatures(() -> {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return queue.features();
      });
      assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

      AtomicInteger published = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Channel pub = publisherConn.createChannel();
      Thread publisher = new Thread(() -> {
        try {
          byte[] body = new byte[1000];
          for (int i = 0; i < MESSAGES; i++) {
            ByteBuffer.wrap(body).putInt(0, i);
            pub.basicPublish("", q, null, body);
            published.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "fast-publisher");
      publisher.start();

      // The publisher stalls on a full socket long before it has sent everything, and the inbox stays bounded.
      await().atMost(Duration.ofSeconds(20)).until(() -> "flow".equals(broker.connectionState("fast-publisher")));
      int before = published.get();
      Thread.sleep(2500);
      assertThat(published.get()).isLessThan(MESSAGES);
      assertThat(published.get() - before).as("publishes accepted while paused").isLessThan(MESSAGES / 2);
      // one socket read past the bound at most (64 KiB of 1 KB messages), never the whole backlog
      assertThat(queue.inbox().backlog()).isBetween(InboxCredit.HIGH, InboxCredit.HIGH + 200);

      // Another connection publishes and consumes meanwhile, unaffected.
      Channel ch = other.createChannel();
      String q2 = ch.queueDeclare().getQueue();
      ch.basicPublish("", q2, null, "other".getBytes());
      GetResponse got = BasicGets.one(ch, q2);
      assertThat(new String(got.getBody())).isEqualTo("other");

      // Let the queue go: the publisher resumes and every message arrives, in order.
      release.countDown();
      publisher.join(60_000);
      assertThat(failure.get()).isNull();
      assertThat(published.get()).isEqualTo(MESSAGES);
      assertThat(publisherConn.isOpen()).as("heartbeats missed while paused must not close it").isTrue();
      Channel consumer = other.createChannel();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger outOfOrder = new AtomicInteger();
      consumer.basicConsume(q, true, (tag, d) -> {
        if (ByteBuffer.wrap(d.getBody()).getInt(0) != next.getAndIncrement()) {
          outOfOrder.incrementAndGet();
        }
      }, tag -> { });
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(next.get()).isEqualTo(MESSAGES));
      assertThat(outOfOrder.get()).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(broker.connectionState("fast-publisher")));
      assertThat(queue.inbox().backlog()).isZero();
      admin.queueDelete(q);
    }
  }

  @Test
  void deletingTheQueueAPublisherWaitsForLetsItGoOn() throws Exception {
    try (Connection publisherConn = broker.factory().newConnection("waits-for-deleted");
        Connection other = broker.connect()) {
      Channel admin = other.createChannel();
      String q = admin.queueDeclare("flow-deleted", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      CountDownLatch release = new CountDownLatch(1);
      queue.updateFeatures(() -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return queue.features();
      });
      AtomicInteger published = new AtomicInteger();
      Channel pub = publisherConn.createChannel();
      Thread publisher = new Thread(() -> {
        try {
          for (int i = 0; i < MESSAGES; i++) {
            pub.basicPublish("", q, null, new byte[1000]);
            published.incrementAndGet();
          }
        } catch (Exception e) {
          // the test fails below on the count
        }
      }, "publisher-to-deleted");
      publisher.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> "flow".equals(broker.connectionState("waits-for-deleted")));
      // the delete waits behind the held executor; once it runs, the publisher must be let go
      Thread deleter = new Thread(() -> {
        try (Channel c = other.createChannel()) {
          c.queueDelete(q);
        } catch (Exception e) {
          // checked below through the registry
        }
      });
      deleter.start();
      release.countDown();
      publisher.join(60_000);
      deleter.join(10_000);
      assertThat(published.get()).isEqualTo(MESSAGES);
      assertThat(broker.broker().vhost("/").queue(q)).isNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(broker.connectionState("waits-for-deleted")));
    }
  }

}
