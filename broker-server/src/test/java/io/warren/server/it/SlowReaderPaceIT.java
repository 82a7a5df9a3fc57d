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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishers paced by an auto-ack consumer that reads slowly: its deliveries wait on its socket, not on prefetch, so
 * the queue hands it messages only in bursts, whenever the socket drains below its low water mark (about a second
 * apart here). Between bursts the consumer is still taking, and the queue keeps its fast publisher paced: the ready
 * backlog stays small instead of growing at the publisher's rate. A consumer whose client stopped reading altogether
 * does not hold the publisher, and a queue without consumers does not pace it at all.
 */
class SlowReaderPaceIT {
  private static final int BODY = 1000;
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
  void aSlowReadingAutoAckConsumerKeepsTheBacklogOfAFastPublisherBounded() throws Exception {
    try (Connection pubConn = broker.factory().newConnection("slow-reader-publisher");
        Connection subConn = slowReaderFactory().newConnection()) {
      Channel admin = subConn.createChannel();
      String q = admin.queueDeclare("slow-reader-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      // about 1,000 messages a second: the client's dispatch queue fills, then its reads, then the broker's socket
      AtomicInteger consumed = new AtomicInteger();
      Channel sub = subConn.createChannel();
      String consumerTag = sub.basicConsume(q, true, (tag, d) -> {
        consumed.incrementAndGet();
        sleep(1);
      }, tag -> { });

      Publisher publisher = new Publisher(pubConn.createChannel(), q);
      publisher.start();
      // the bursts start once the client's buffers and the broker's socket are full
      await().atMost(Duration.ofSeconds(20)).until(() -> consumed.get() > 3_000);
      int maxReady = 0;
      boolean sawFlow = false;
      int publishedBefore = publisher.published.get();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < end) {
        maxReady = Math.max(maxReady, queue.messageCount());
        sawFlow |= "flow".equals(broker.connectionState("slow-reader-publisher"));
        sleep(10);
      }
      int publishedMeanwhile = publisher.published.get() - publishedBefore;
      publisher.stopAndCheck();

      // Unpaced, the publisher runs free between the bursts and the queue grows by tens of thousands a second (67,744
      // ready and 52,137 published in these 5 s without the rule); paced, a few hundred, and a lapse of the pace on a
      // busy machine (the consumer's process not scheduled for a second) lets in at most some thousands.
      assertThat(maxReady).as("ready backlog over 5 s (published meanwhile: %d)", publishedMeanwhile)
          .isLessThan(15_000);
      assertThat(publishedMeanwhile).as("published in 5 s at the consumer's pace").isLessThan(25_000);
      assertThat(sawFlow).as("the publisher was held back (state flow)").isTrue();
      sub.basicCancel(consumerTag);
      await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(broker.connectionState("slow-reader-publisher")));
      admin.queueDelete(q);
    }
  }

  @Test
  void aConsumerWhoseClientStoppedReadingDoesNotHoldThePublisher() throws Exception {
    int messages = 30_000;
    CountDownLatch release = new CountDownLatch(1);
    try (Connection pubConn = broker.factory().newConnection("stuck-reader-publisher");
        Connection subConn = slowReaderFactory().newConnection()) {
      Channel admin = subConn.createChannel();
      String q = admin.queueDeclare("stuck-reader-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      // the handler never returns: the client's dispatch queue fills, then it stops reading its socket
      Channel sub = subConn.createChannel();
      sub.basicConsume(q, true, (tag, d) -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, tag -> { });

      Channel pub = pubConn.createChannel();
      byte[] body = new byte[BODY];
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        pub.basicPublish("", q, null, body);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> queue.messageCount() > messages / 2);
      // paced for good, this would take as long as the consumer's 30,000 ms of reading: it stopped reading instead
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to publish").isLessThan(20_000);
      await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(broker.connectionState("stuck-reader-publisher")));
      release.countDown();
      admin.queueDelete(q);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aPublisherToAQueueWithoutConsumersIsNotPaced() throws Exception {
    int messages = 50_000;
    try (Connection pubConn = broker.factory().newConnection("no-consumer-publisher")) {
      Channel pub = pubConn.createChannel();
      String q = pub.queueDeclare("no-consumer-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      byte[] body = new byte[BODY];
      AtomicBoolean paced = new AtomicBoolean();
      Thread watch = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted() && queue.messageCount() < messages) {
          paced.compareAndSet(false, queue.inbox().paced());
          Thread.onSpinWait();
        }
      }, "pace-watch");
      watch.start();
      for (int i = 0; i < messages; i++) {
        pub.basicPublish("", q, null, body);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> queue.messageCount() == messages);
      watch.interrupt();
      watch.join(5_000);
      assertThat(paced.get()).as("the queue withheld credit for consumers it does not have").isFalse();
      pub.queueDelete(q);
    }
  }

  /** A consumer's client with PerfTest's 64 KiB socket buffers, so that its socket fills within a second. */
  private static ConnectionFactory slowReaderFactory() {
    ConnectionFactory factory = broker.factory();
    factory.setSocketConfigurator(socket -> {
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSendBufferSize(64 * 1024);
      socket.setTcpNoDelay(true);
    });
    return factory;
  }

  /** Publishes flat out from its own thread until stopped. */
  private static final class Publisher extends Thread {
    final AtomicInteger published = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Channel channel;
    private final String queue;

    Publisher(Channel channel, String queue) {
      super("flat-out-publisher");
      this.channel = channel;
      this.queue = queue;
    }

    @Override
    public void run() {
      byte[] body = new byte[BODY];
      try {
        while (!stop.get()) {
          channel.basicPublish("", queue, null, body);
          published.incrementAndGet();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    void stopAndCheck() throws InterruptedException {
      stop.set(true);
      join(30_000);
      assertThat(failure.get()).isNull();
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
