package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** basic.get, ack / nack / reject, redelivery, requeue order, unknown tags and basic.recover. */
class AcknowledgementIT extends ConnectionPerTest {
  private Channel look;

  @BeforeEach
  void openMoreChannels() throws Exception {
    look = conn.createChannel();
  }

  private void publish(String q, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      look.basicPublish("", q, null, new byte[] {(byte) i});
    }
  }

  private int ready(String q) throws Exception {
    return look.queueDeclarePassive(q).getMessageCount();
  }

  /** Drains a queue with basic.get (auto-ack), returning first bytes and redelivered flags. */
  private List<String> drain(String q) throws Exception {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = look.basicGet(q, true)) != null) {
      out.add((r.getBody()[0] & 0xff) + (r.getEnvelope().isRedeliver() ? "r" : ""));
    }
    return out;
  }

  @Test
  void basicGetCountsDownAndThenReportsEmpty() throws Exception {
    look.queueDeclare("a-get", false, false, false, null);
    publish("a-get", 0, 3);
    for (int expectedLeft = 2; expectedLeft >= 0; expectedLeft--) {
      GetResponse r = ch.basicGet("a-get", true);
      assertThat(r.getMessageCount()).isEqualTo(expectedLeft);
      assertThat(r.getEnvelope().getExchange()).isEmpty();
      assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("a-get");
      assertThat(r.getEnvelope().isRedeliver()).isFalse();
    }
    assertThat(ch.basicGet("a-get", true)).isNull();
    assertThat(ch.basicGet("a-get", false)).isNull();
  }

  @Test
  void deliveryTagsCountUpPerChannelAcrossGetsAndConsumers() throws Exception {
    look.queueDeclare("a-tags", false, false, false, null);
    publish("a-tags", 0, 3);
    assertThat(ch.basicGet("a-tags", false).getEnvelope().getDeliveryTag()).isEqualTo(1);
    assertThat(ch.basicGet("a-tags", true).getEnvelope().getDeliveryTag()).isEqualTo(2);
    CollectingConsumer c = new CollectingConsumer(ch);
    ch.basicConsume("a-tags", false, c);
    c.awaitCount(1);
    assertThat(c.get(0).tag()).isEqualTo(3);
  }

  @Test
  void rejectWithRequeuePutsTheMessageBackInFrontMarkedRedelivered() throws Exception {
    look.queueDeclare("a-reject", false, false, false, null);
    publish("a-reject", 0, 3);
    GetResponse first = ch.basicGet("a-reject", false);
    ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
    GetResponse again = ch.basicGet("a-reject", false);
    assertThat(again.getBody()).containsExactly(0);
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    assertThat(again.getEnvelope().getDeliveryTag()).isEqualTo(2);
    ch.basicReject(again.getEnvelope().getDeliveryTag(), false);
    assertThat(drain("a-reject")).containsExactly("1", "2");
  }

  @Test
  void nackMultipleRequeuesEveryUnackedUpToTheTagInOrder() throws Exception {
    look.queueDeclare("a-nack", false, false, false, null);
    publish("a-nack", 0, 6);
    CollectingConsumer c = new CollectingConsumer(ch);
    ch.basicConsume("a-nack", false, c);
    c.awaitCount(6);
    ch.basicAck(c.get(1).tag(), false);
    ch.basicNack(c.get(3).tag(), true, true); // 0, 2, 3 back
    c.awaitCount(9);
    assertThat(c.deliveries.subList(6, 9)).extracting(CollectingConsumer.Delivery::first).containsExactly(0, 2, 3);
    assertThat(c.deliveries.subList(6, 9)).allMatch(CollectingConsumer.Delivery::redelivered);
    ch.basicNack(0, true, false); // every unacked one dropped
    ch.basicCancel(c.getConsumerTag());
    assertThat(ready("a-nack")).isZero();
    ch.close();
    assertThat(drain("a-nack")).isEmpty();
  }

  @Test
  void ackMultipleAcksEverythingUpToTheTag() throws Exception {
    look.queueDeclare("a-ack-multi", false, false, false, null);
    publish("a-ack-multi", 0, 5);
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tags.add(ch.basicGet("a-ack-multi", false).getEnvelope().getDeliveryTag());
    }
    ch.basicAck(tags.get(2), true);
    ch.close();
    assertThat(drain("a-ack-multi")).containsExactly("3r", "4r");
  }

  @Test
  void unackedMessagesReturnInTheirOriginalOrderWhenTheChannelCloses() throws Exception {
    look.queueDeclare("a-close-order", false, false, false, null);
    publish("a-close-order", 0, 10);
    CollectingConsumer c = new CollectingConsumer(ch);
    ch.basicConsume("a-close-order", false, c);
    c.awaitCount(10);
    for (int i = 0; i < 10; i += 3) {
      ch.basicAck(c.get(i).tag(), false); // 0, 3, 6, 9 acked
    }
    publish("a-close-order", 10, 12); // newer messages the consumer also takes
    c.awaitCount(12);
    ch.close();
    assertThat(drain("a-close-order")).containsExactly("1r", "2r", "4r", "5r", "7r", "8r", "10r", "11r");
  }

  @Test
  void unackedMessagesGoBackAheadOfNewerOnesWhenTheConnectionCloses() throws Exception {
    look.queueDeclare("a-conn-order", false, false, false, null);
    publish("a-conn-order", 0, 5);
    assertThat(ready("a-conn-order")).isEqualTo(5); // in the queue before another connection looks
    try (Connection consumerConn = broker.connect()) {
      Channel c1 = consumerConn.createChannel();
      Channel c2 = consumerConn.createChannel();
      c1.basicQos(2);
      CollectingConsumer first = new CollectingConsumer(c1);
      c1.basicConsume("a-conn-order", false, first);
      first.awaitCount(2);
      GetResponse third = c2.basicGet("a-conn-order", false);
      assertThat(third.getBody()).containsExactly(2);
      publish("a-conn-order", 5, 7);
      // closing the connection stops its consumer first, so nothing more reaches it
    }
    await().until(() -> ready("a-conn-order") == 7);
    assertThat(drain("a-conn-order")).containsExactly("0r", "1r", "2r", "3", "4", "5", "6");
  }

  @Test
  void anUnknownDeliveryTagClosesTheChannel() throws Exception {
    look.queueDeclare("a-unknown", false, false, false, null);
    ch.basicAck(99, false);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag 99");
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(80);
  }

  @Test
  void ackingTwiceClosesTheChannelAndRequeuesTheRest() throws Exception {
    look.queueDeclare("a-double", false, false, false, null);
    publish("a-double", 0, 2);
    long t1 = ch.basicGet("a-double", false).getEnvelope().getDeliveryTag();
    ch.basicGet("a-double", false);
    ch.basicAck(t1, false);
    ch.basicAck(t1, false);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag " + t1);
    await().until(() -> ready("a-double") == 1);
    assertThat(drain("a-double")).containsExactly("1r");
  }

  @Test
  void settlingATagCoveredByAnEarlierMultipleAckIsUnknown() throws Exception {
    look.queueDeclare("a-covered", false, false, false, null);
    publish("a-covered", 0, 3);
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tags.add(ch.basicGet("a-covered", false).getEnvelope().getDeliveryTag());
    }
    ch.basicAck(tags.get(1), true);
    ch.basicReject(tags.get(0), true);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag " + tags.get(0));
    assertThat(close.getMethodId()).isEqualTo(90);
  }

  @Test
  void aMultipleNackWithAnUnknownTagIsUnknownAndSettlesNothing() throws Exception {
    look.queueDeclare("a-nack-unknown", false, false, false, null);
    publish("a-nack-unknown", 0, 2);
    ch.basicGet("a-nack-unknown", false);
    ch.basicGet("a-nack-unknown", false);
    ch.basicNack(7, true, false);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag 7");
    assertThat(close.getMethodId()).isEqualTo(120);
    await().until(() -> ready("a-nack-unknown") == 2);
  }

  @Test
  void anAutoAckDeliveryCannotBeAcked() throws Exception {
    look.queueDeclare("a-noack", false, false, false, null);
    publish("a-noack", 0, 1);
    GetResponse r = ch.basicGet("a-noack", true);
    ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - unknown delivery tag 1");
  }

  @Test
  void recoverRedeliversEveryUnackedMessage() throws Exception {
    look.queueDeclare("a-recover", false, false, false, null);
    publish("a-recover", 0, 4);
    CollectingConsumer c = new CollectingConsumer(ch);
    ch.basicConsume("a-recover", false, c);
    c.awaitCount(4);
    ch.basicAck(c.get(1).tag(), false);
    ch.basicRecover(true);
    c.awaitCount(7);
    assertThat(c.deliveries.subList(4, 7)).extracting(CollectingConsumer.Delivery::first).containsExactly(0, 2, 3);
    assertThat(c.deliveries.subList(4, 7)).allMatch(CollectingConsumer.Delivery::redelivered);
    assertThat(c.deliveries.subList(4, 7)).extracting(CollectingConsumer.Delivery::tag).containsExactly(5L, 6L, 7L);
    // the old tags are gone: acking the new ones empties the queue
    ch.basicAck(7, true);
    ch.close();
    assertThat(drain("a-recover")).isEmpty();
  }

  @Test
  void recoverWithoutRequeueIsNotImplemented() throws Exception {
    AMQP.Connection.Close close = CloseReasons.connectionError(() -> ch.basicRecover(false));
    assertThat(close.getReplyCode()).isEqualTo(540);
    assertThat(close.getReplyText()).isEqualTo("NOT_IMPLEMENTED - requeue=false");
  }

  @Test
  void manyRequeuesKeepTheQueueOrder() throws Exception {
    look.queueDeclare("a-requeue-many", false, false, false, null);
    publish("a-requeue-many", 0, 50);
    List<Long> tags = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tags.add(ch.basicGet("a-requeue-many", false).getEnvelope().getDeliveryTag());
    }
    // requeue in a scrambled order: the queue still puts them back by age
    for (int i = 49; i >= 0; i -= 2) {
      ch.basicReject(tags.get(i), true);
    }
    for (int i = 0; i < 50; i += 2) {
      ch.basicNack(tags.get(i), false, true);
    }
    await().until(() -> ready("a-requeue-many") == 50);
    assertThat(drain("a-requeue-many"))
        .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> i + "r").toList());
  }
}
