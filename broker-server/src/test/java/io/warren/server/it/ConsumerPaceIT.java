package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.store.MessageQueue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishers paced by consumers: a queue whose consumer is slower than its publisher holds the publisher back, so the
 * ready backlog stays a few messages instead of growing for as long as the publisher runs; a consumer that stops
 * taking altogether does not hold the publisher, and the queue grows as it would without a consumer.
 */
class ConsumerPaceIT {
  private static final int BODY = 256 * 1024;
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
  void aSlowConsumerKeepsTheBacklogOfAFastPublisherSmall() throws Exception {
    try (Connection pubConn = broker.factory().newConnection("paced-publisher");
        Connection subConn = broker.connect()) {
      Channel admin = subConn.createChannel();
      String q = admin.queueDeclare("paced-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();

      // about 200 messages a second: far slower than a publisher of 256 KiB messages on loopback
      Channel sub = subConn.createChannel();
      sub.basicQos(4);
      AtomicInteger consumed = new AtomicInteger();
      AtomicInteger outOfOrder = new AtomicInteger();
      String consumerTag = sub.basicConsume(q, false, (tag, d) -> {
        if (ByteBuffer.wrap(d.getBody()).getInt(0) != consumed.getAndIncrement()) {
          outOfOrder.incrementAndGet();
        }
        sleep(5);
        sub.basicAck(d.getEnvelope().getDeliveryTag(), false);
      }, tag -> { });

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger published = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Channel pub = pubConn.createChannel();
      Thread publisher = new Thread(() -> {
        byte[] body = new byte[BODY];
        try {
          for (int i = 0; !stop.get(); i++) {
            ByteBuffer.wrap(body).putInt(0, i);
            pub.basicPublish("", q, null, body);
            published.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "paced-publisher");
      publisher.start();

      await().atMost(Duration.ofSeconds(20)).until(() -> consumed.get() > 50);
      // Watch the queue for three seconds while both run flat out.
      int maxReady = 0;
      boolean sawFlow = false;
      int consumedBefore = consumed.get();
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end) {
        maxReady = Math.max(maxReady, queue.messageCount());
        sawFlow |= "flow".equals(broker.connectionState("paced-publisher"));
        sleep(10);
      }
      int consumedMeanwhile = consumed.get() - consumedBefore;
      stop.set(true);
      publisher.join(30_000);
      assertThat(failure.get()).isNull();

      // Unpaced, the publisher would be hundreds of messages (hundreds of MB) ahead within these three seconds.
      assertThat(maxReady).as("ready backlog of 256 KiB messages").isLessThan(40);
      assertThat(published.get() - consumed.get()).as("published but not consumed").isLessThan(60);
      assertThat(consumedMeanwhile).as("the consumer kept taking").isGreaterThan(50);
      assertThat(sawFlow).as("the publisher was held back (state flow)").isTrue();

      await().atMost(Duration.ofSeconds(30)).until(() -> consumed.get() == published.get());
      assertThat(outOfOrder.get()).isZero();
      sub.basicCancel(consumerTag);
      await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(broker.connectionState("paced-publisher")));
      admin.queueDelete(q);
    }
  }

  @Test
  void aConsumerThatStopsTakingDoesNotHoldThePublisher() throws Exception {
    int messages = 3_000;
    try (Connection pubConn = broker.factory().newConnection("unpaced-publisher");
        Connection subConn = broker.connect()) {
      Channel admin = subConn.createChannel();
      String q = admin.queueDeclare("stuck-consumer-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      Channel sub = subConn.createChannel();
      sub.basicQos(1);
      AtomicInteger got = new AtomicInteger();
      sub.basicConsume(q, false, (tag, d) -> got.incrementAndGet(), tag -> { }); // never acks

      Channel pub = pubConn.createChannel();
      byte[] body = new byte[4096];
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        pub.basicPublish("", q, null, body);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> queue.messageCount() == messages - 1);
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to publish").isLessThan(20_000);
      assertThat(got.get()).isEqualTo(1);
      assertThat(broker.connectionState("unpaced-publisher")).isEqualTo("running");
      admin.queueDelete(q);
    }
  }

  @Test
  void aConnectionThatAlsoConsumesIsNotPacedOutOfReadingItsOwnAcks() throws Exception {
    int messages = 600;
    try (Connection both = broker.factory().newConnection("publishes-and-consumes")) {
      Channel sub = both.createChannel();
      String q = sub.queueDeclare("same-connection-q", false, false, false, null).getQueue();
      sub.basicQos(2);
      AtomicInteger consumed = new AtomicInteger();
      String consumerTag = sub.basicConsume(q, false, (tag, d) -> {
        sleep(1);
        sub.basicAck(d.getEnvelope().getDeliveryTag(), false);
        consumed.incrementAndGet();
      }, tag -> { });
      Channel pub = both.createChannel();
      byte[] body = new byte[64 * 1024];
      for (int i = 0; i < messages; i++) {
        pub.basicPublish("", q, null, body);
      }
      // A guard: its acks travel on the socket whose reads pacing would stop, so it must keep flowing.
      await().atMost(Duration.ofSeconds(40)).until(() -> consumed.get() == messages);
      sub.basicCancel(consumerTag);
      sub.queueDelete(q);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
