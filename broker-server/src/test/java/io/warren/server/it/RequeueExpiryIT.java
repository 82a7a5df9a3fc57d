package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expiry of messages that come back to their queue (rejected, recovered, their channel closed) and of messages
 * published in a transaction, as RabbitMQ's own client tests check it: a requeued message keeps the expiry it got
 * when it reached the queue, and one already due does not go out again; in a transaction a message reaches the
 * queue, and its TTL starts, at commit.
 */
class RequeueExpiryIT extends SharedBroker {
  private static AMQP.BasicProperties expiring(long ms) {
    return new AMQP.BasicProperties.Builder().expiration(Long.toString(ms)).build();
  }

  private static String body(GetResponse r) {
    return r == null ? null : new String(r.getBody(), StandardCharsets.UTF_8);
  }

  /**
   * The broker's clock stands still, so the reject comes back within the millisecond the message arrived in, as it
   * often does on a fast machine: the message reached the consumer waiting when it arrived, and must not again.
   */
  @Test
  void aRejectedMessageWithATtlOfZeroIsNotDeliveredAgainEvenWithinTheSameMillisecond() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("warren-it");
    io.warren.server.config.BrokerConfig config = io.warren.server.config.ConfigLoader.defaults().withPort(0)
        .withDataDir(dir);
    java.time.Clock frozen = java.time.Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC);
    try (io.warren.server.Broker broker = io.warren.server.Broker.start(config, frozen)) {
      com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(broker.port());
      try (com.rabbitmq.client.Connection c = f.newConnection()) {
        for (boolean perQueue : new boolean[] {true, false}) {
          Channel ch = c.createChannel();
          String q = ch.queueDeclare("", false, true, true, perQueue ? Map.of("x-message-ttl", 0) : null)
              .getQueue();
          AMQP.BasicProperties props = perQueue ? null : expiring(0);
          CollectingConsumer consumer = new CollectingConsumer(ch);
          ch.basicConsume(q, false, consumer);
          ch.basicPublish("", q, props, "zero".getBytes(StandardCharsets.UTF_8));
          consumer.awaitCount(1); // a consumer waiting when it arrives gets it
          ch.basicReject(consumer.deliveries.get(0).tag(), true);
          Thread.sleep(300);
          assertThat(consumer.deliveries).as("requeued at its expiry (per queue: %s)", perQueue).hasSize(1);
          assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
          ch.close();
        }
      }
    }
  }

  @Test
  void requeuedMessagesKeepTheirExpiryAndOnlyTheExpiredOnesGo() throws Exception {
    Channel ch = conn.createChannel();
    String q = ch.queueDeclare("", false, true, true, null).getQueue();
    ch.basicPublish("", q, expiring(2_000), "one".getBytes(StandardCharsets.UTF_8));
    Thread.sleep(1_000);
    ch.basicPublish("", q, expiring(2_000), "two".getBytes(StandardCharsets.UTF_8));
    ch.basicPublish("", q, expiring(2_000), "three".getBytes(StandardCharsets.UTF_8));
    GetResponse one = ch.basicGet(q, false);
    assertThat(body(one)).isEqualTo("one");
    assertThat(one.getMessageCount()).isEqualTo(2);
    assertThat(body(ch.basicGet(q, false))).isEqualTo("two");
    ch.close(); // both come back, "one" first

    Channel again = conn.createChannel();
    // "one" goes when its expiry comes; "two" and "three" stay for another second
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> again.queueDeclarePassive(q).getMessageCount() == 2);
    GetResponse first = again.basicGet(q, false);
    assertThat(body(first)).isEqualTo("two");
    assertThat(first.getMessageCount()).isEqualTo(1);
    assertThat(first.getEnvelope().isRedeliver()).isTrue();
    assertThat(body(again.basicGet(q, false))).isEqualTo("three");
    again.close();
  }

  @Test
  void inATransactionTheExpiryCountsFromTheCommit() throws Exception {
    for (boolean perQueue : new boolean[] {true, false}) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare("", false, true, true, perQueue ? Map.of("x-message-ttl", 1_000) : null)
          .getQueue();
      AMQP.BasicProperties props = perQueue ? null : expiring(1_000);
      ch.txSelect();
      ch.basicPublish("", q, props, "one".getBytes(StandardCharsets.UTF_8));
      Thread.sleep(1_200); // past the TTL if it counted from the publish
      ch.basicPublish("", q, props, "two".getBytes(StandardCharsets.UTF_8));
      ch.txCommit();
      assertThat(body(ch.basicGet(q, true))).as("per queue: %s", perQueue).isEqualTo("one");
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.queueDeclarePassive(q).getMessageCount() == 0);
      ch.close();
    }
  }
}
