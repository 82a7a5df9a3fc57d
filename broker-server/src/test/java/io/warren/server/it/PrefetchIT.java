package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * basic.qos enforced exactly: consumers that never ack must hold exactly the prefetch count, and the queues must
 * still hold exactly the rest (counted by a passive declare, which the queue answers after its deliveries).
 */
class PrefetchIT extends ConnectionPerTest {
  private Channel look;

  @BeforeEach
  void openMoreChannels() throws Exception {
    look = conn.createChannel();
  }

  private void fill(String q, int n) throws Exception {
    look.queueDeclare(q, false, false, false, null);
    for (int i = 0; i < n; i++) {
      look.basicPublish("", q, null, new byte[] {(byte) i});
    }
    assertThat(ready(q)).isEqualTo(n);
  }

  private int ready(String q) throws Exception {
    return look.queueDeclarePassive(q).getMessageCount();
  }

  private CollectingConsumer consume(Channel on, String q) throws Exception {
    CollectingConsumer c = new CollectingConsumer(on);
    on.basicConsume(q, false, c);
    return c;
  }

  @Test
  void aPerConsumerPrefetchLimitsEachConsumerSeparately() throws Exception {
    fill("p-consumer-1", 10);
    fill("p-consumer-2", 10);
    ch.basicQos(3);
    CollectingConsumer a = consume(ch, "p-consumer-1").awaitCount(3);
    CollectingConsumer b = consume(ch, "p-consumer-2").awaitCount(3);
    assertThat(ready("p-consumer-1")).isEqualTo(7);
    assertThat(ready("p-consumer-2")).isEqualTo(7);
    assertThat(a.count()).isEqualTo(3);

    // each ack makes room for exactly one more
    ch.basicAck(a.get(0).tag(), false);
    a.awaitCount(4);
    assertThat(ready("p-consumer-1")).isEqualTo(6);
    for (int i = 1; i < 4; i++) {
      ch.basicAck(a.get(i).tag(), false); // one by one: a multiple ack would cover b's deliveries too
    }
    a.awaitCount(7);
    assertThat(ready("p-consumer-1")).isEqualTo(3);
    assertThat(b.count()).isEqualTo(3);
    assertThat(a.firstBytes()).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void aPerChannelPrefetchIsSharedByAllItsConsumers() throws Exception {
    fill("p-channel-1", 10);
    fill("p-channel-2", 10);
    ch.basicQos(4, true);
    CollectingConsumer a = consume(ch, "p-channel-1");
    CollectingConsumer b = consume(ch, "p-channel-2");
    org.awaitility.Awaitility.await().until(() -> a.count() + b.count() >= 4);
    assertThat(ready("p-channel-1") + ready("p-channel-2")).isEqualTo(16);
    assertThat(a.count() + b.count()).isEqualTo(4);

    // raising the channel limit takes effect at once
    ch.basicQos(6, true);
    org.awaitility.Awaitility.await().until(() -> a.count() + b.count() >= 6);
    assertThat(ready("p-channel-1") + ready("p-channel-2")).isEqualTo(14);
    assertThat(a.count() + b.count()).isEqualTo(6);
  }

  @Test
  void bothLimitsApplyTogether() throws Exception {
    fill("p-both-1", 10);
    fill("p-both-2", 10);
    ch.basicQos(2, false);
    ch.basicQos(3, true);
    CollectingConsumer a = consume(ch, "p-both-1").awaitCount(2);
    CollectingConsumer b = consume(ch, "p-both-2").awaitCount(1);
    assertThat(ready("p-both-1") + ready("p-both-2")).isEqualTo(17);
    assertThat(a.count()).isEqualTo(2);
    assertThat(b.count()).isEqualTo(1);

    // one ack frees one unit of channel room: exactly one more delivery, to whichever consumer has room of its own
    // and is woken first (both have here, as both would in RabbitMQ)
    ch.basicAck(a.get(0).tag(), false);
    org.awaitility.Awaitility.await().until(() -> a.count() + b.count() >= 4);
    assertThat(ready("p-both-1") + ready("p-both-2")).isEqualTo(16);
    assertThat(a.count() + b.count()).isEqualTo(4);
    assertThat(a.count()).isLessThanOrEqualTo(3); // a holds at most two unacked (one of its three is acked)
    assertThat(b.count()).isLessThanOrEqualTo(2);
  }

  @Test
  void aPrefetchOfOneDeliversOneAtATime() throws Exception {
    fill("p-one", 5);
    ch.basicQos(1);
    CollectingConsumer c = consume(ch, "p-one");
    for (int i = 1; i <= 5; i++) {
      c.awaitCount(i);
      assertThat(ready("p-one")).isEqualTo(5 - i);
      assertThat(c.last().first()).isEqualTo(i - 1);
      ch.basicAck(c.last().tag(), false);
    }
  }

  @Test
  void rejectingAndRequeuingReturnsCredit() throws Exception {
    fill("p-requeue", 3);
    ch.basicQos(2);
    CollectingConsumer c = consume(ch, "p-requeue").awaitCount(2);
    ch.basicReject(c.get(0).tag(), true);
    // the requeued message goes first again, to the same consumer
    c.awaitCount(3);
    assertThat(c.get(2).first()).isZero();
    assertThat(c.get(2).redelivered()).isTrue();
    assertThat(ready("p-requeue")).isEqualTo(1);
  }

  @Test
  void autoAckConsumersAndBasicGetIgnoreThePrefetch() throws Exception {
    fill("p-noack", 10);
    ch.basicQos(1);
    CollectingConsumer c = new CollectingConsumer(ch);
    ch.basicConsume("p-noack", true, c);
    c.awaitCount(10);

    fill("p-get", 3);
    Channel getter = conn.createChannel();
    getter.basicQos(1, true);
    for (int i = 0; i < 3; i++) {
      GetResponse r = getter.basicGet("p-get", false);
      assertThat(r).isNotNull();
    }
  }

  @Test
  void aFullChannelPrefetchHoldsBackAutoAckConsumersOfTheChannelToo() throws Exception {
    fill("p-global-ack", 2);
    ch.basicQos(1, true);
    CollectingConsumer acking = consume(ch, "p-global-ack").awaitCount(1);
    fill("p-global-noack", 1);
    CollectingConsumer autoAck = new CollectingConsumer(ch);
    ch.basicConsume("p-global-noack", true, autoAck);
    // as RabbitMQ 3.x: the one unacked delivery fills the channel's window, no-ack consumers included
    assertThat(ready("p-global-noack")).isEqualTo(1);
    assertThat(autoAck.count()).isZero();
    ch.basicAck(acking.get(0).tag(), false);
    acking.awaitCount(2); // the freed credit may go to either queue first; the acking one takes it for a while
    ch.basicAck(acking.get(1).tag(), false);
    autoAck.awaitCount(1);
    assertThat(ready("p-global-noack")).isZero();
    assertThat(ready("p-global-ack")).isZero();
  }

  @Test
  void withAChannelPrefetchOfOneSeveralQueuesAreServedInTurn() throws Exception {
    String[] queues = {"p-fair-1", "p-fair-2", "p-fair-3"};
    for (String q : queues) {
      fill(q, 30);
    }
    ch.basicQos(1, true);
    CollectingConsumer c = new CollectingConsumer(ch);
    for (String q : queues) {
      ch.basicConsume(q, false, c);
    }
    for (int i = 0; i < 30; i++) {
      c.awaitCount(i + 1);
      ch.basicAck(c.get(i).tag(), false);
    }
    c.awaitCount(31);
    java.util.Map<String, Integer> perConsumer = new java.util.HashMap<>();
    for (int i = 0; i < 31; i++) {
      perConsumer.merge(c.get(i).consumerTag(), 1, Integer::sum);
    }
    // Served in turn, not all from one queue. Each ack wakes the three queues starting from the next one in turn, and
    // the woken queues' threads then race for the freed credit: the next in turn usually wins, but on a loaded
    // machine another often does (a run of this test under a full build saw 14, 13 and 4). Serving from one queue,
    // the failure this guards against, leaves another with next to nothing.
    assertThat(perConsumer).hasSize(3);
    assertThat(perConsumer.values()).allSatisfy(n -> assertThat(n).isBetween(2, 21));
  }
}
