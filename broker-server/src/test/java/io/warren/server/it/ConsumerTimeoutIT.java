package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumer acknowledgement timeouts: the late consumer is cancelled (basic.cancel), its messages go to others, and its
 * channel stays open; an unacked basic.get closes the channel.
 */
class ConsumerTimeoutIT {
  private static BrokerFixture broker;
  private static Connection conn;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start(cfg -> cfg.withConsumerTimeout(400));
    conn = broker.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    conn.close();
    broker.close();
  }

  @Test
  void aLateConsumerIsCancelledAndItsMessagesGoToAnother() throws Exception {
    Channel slowCh = conn.createChannel();
    Channel fastCh = conn.createChannel();
    String q = slowCh.queueDeclare("ct", false, false, false, Map.of("x-consumer-timeout", 300)).getQueue();
    CollectingConsumer slow = new CollectingConsumer(slowCh);
    String slowTag = slowCh.basicConsume(q, false, slow);
    for (int i = 0; i < 3; i++) {
      slowCh.basicPublish("", q, null, new byte[] {(byte) i});
    }
    slow.awaitCount(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> slowTag.equals(slow.cancelledByBroker.get()));
    CollectingConsumer fast = new CollectingConsumer(fastCh);
    fastCh.basicConsume(q, false, fast);
    fast.awaitCount(3);
    assertThat(fast.firstBytes()).containsExactly(0, 1, 2);
    assertThat(fast.deliveries).allMatch(CollectingConsumer.Delivery::redelivered);
    for (CollectingConsumer.Delivery d : fast.deliveries) {
      fastCh.basicAck(d.tag(), false);
    }
    // the cancelled consumer's channel still works, and got nothing more
    assertThat(slowCh.isOpen()).isTrue();
    assertThat(slowCh.queueDeclarePassive(q).getConsumerCount()).isEqualTo(1);
    slowCh.basicPublish("", q, null, new byte[] {9});
    fast.awaitCount(4);
    assertThat(slow.count()).isEqualTo(3);
    assertThat(fastCh.isOpen()).isTrue();
    fastCh.queueDelete(q);
    slowCh.close();
    fastCh.close();
  }

  @Test
  void theBrokerDefaultAppliesWithoutAnArgumentAndAckedConsumersStay() throws Exception {
    Channel ch = conn.createChannel();
    String q = ch.queueDeclare("", false, true, true, null).getQueue();
    java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> ackingCancelled =
        new java.util.concurrent.atomic.AtomicReference<>();
    com.rabbitmq.client.DefaultConsumer acking = new com.rabbitmq.client.DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, com.rabbitmq.client.Envelope env, AMQP.BasicProperties p, byte[] b)
          throws java.io.IOException {
        getChannel().basicAck(env.getDeliveryTag(), false);
        acked.incrementAndGet();
      }

      @Override
      public void handleCancel(String tag) {
        ackingCancelled.set(tag);
      }
    };
    Channel lateCh = conn.createChannel();
    // not auto-delete: cancelling its only consumer would delete it
    String q2 = lateCh.queueDeclare("", false, true, false, null).getQueue();
    CollectingConsumer late = new CollectingConsumer(lateCh);
    String lateTag = lateCh.basicConsume(q2, false, late);
    ch.basicConsume(q, false, acking);
    ch.basicPublish("", q, null, new byte[] {1});
    lateCh.basicPublish("", q2, null, new byte[] {2});
    await().atMost(Duration.ofSeconds(5)).until(() -> lateTag.equals(late.cancelledByBroker.get()));
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.get() == 1);
    ch.basicPublish("", q, null, new byte[] {3});
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.get() == 2);
    assertThat(ackingCancelled.get()).isNull();
    assertThat(lateCh.queueDeclarePassive(q2).getMessageCount()).isEqualTo(1);
    ch.close();
    lateCh.close();
  }

  @Test
  void anUnackedGetPastTheTimeoutClosesTheChannel() throws Exception {
    Channel ch = conn.createChannel();
    String q = ch.queueDeclare("", false, false, true, Map.of("x-consumer-timeout", 200)).getQueue();
    ch.basicPublish("", q, null, new byte[] {1});
    assertThat(BasicGetsUnacked.one(ch, q)).isNotNull();
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText()).startsWith("PRECONDITION_FAILED - delivery acknowledgement on channel "
        + ch.getChannelNumber() + " timed out. Timeout value used: 200 ms.");
    // the message went back to the queue
    try (Channel other = conn.createChannel()) {
      assertThat(BasicGets.one(other, q).getEnvelope().isRedeliver()).isTrue();
      other.queueDelete(q);
    }
  }

  /** basic.get without auto-ack, retried until the message is there. */
  private static final class BasicGetsUnacked {
    static com.rabbitmq.client.GetResponse one(Channel ch, String queue) {
      return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
          .until(() -> ch.basicGet(queue, false), r -> r != null);
    }
  }
}
