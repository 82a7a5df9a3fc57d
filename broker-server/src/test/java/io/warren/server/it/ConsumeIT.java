package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.connectionError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** basic.consume and basic.cancel: tags, exclusive consumers, consumer priorities, cancel notifications. */
class ConsumeIT extends ConnectionPerTest {

  private void publish(String q, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", q, null, new byte[] {(byte) i});
    }
  }

  @Test
  void theServerChoosesATagWhenTheClientDoesNot() throws Exception {
    ch.queueDeclare("c-tags", false, false, false, null);
    CollectingConsumer a = new CollectingConsumer(ch);
    CollectingConsumer b = new CollectingConsumer(ch);
    String serverTag = ch.basicConsume("c-tags", true, a);
    String clientTag = ch.basicConsume("c-tags", true, "my-tag", false, false, null, b);
    assertThat(serverTag).startsWith("amq.ctag-");
    assertThat(clientTag).isEqualTo("my-tag");
    publish("c-tags", 2);
    a.awaitCount(1);
    b.awaitCount(1);
    assertThat(a.get(0).consumerTag()).isEqualTo(serverTag);
    assertThat(b.get(0).consumerTag()).isEqualTo("my-tag");
    // the same tag on another channel is another consumer
    Channel other = conn.createChannel();
    assertThat(other.basicConsume("c-tags", true, "my-tag", new CollectingConsumer(other))).isEqualTo("my-tag");
  }

  @Test
  void reusingATagOnTheSameChannelClosesTheConnection() throws Exception {
    ch.queueDeclare("c-dup", false, false, false, null);
    ch.basicConsume("c-dup", true, "dup", new CollectingConsumer(ch));
    AMQP.Connection.Close close = connectionError(
        () -> ch.basicConsume("c-dup", true, "dup", new CollectingConsumer(ch)));
    assertThat(close.getReplyCode()).isEqualTo(530);
    assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - attempt to reuse consumer tag 'dup'");
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(20);
  }

  @Test
  void anExclusiveConsumerShutsOutOthers() throws Exception {
    ch.queueDeclare("c-excl", false, false, false, null);
    ch.basicConsume("c-excl", true, "sole", false, true, null, new CollectingConsumer(ch));
    Channel other = conn.createChannel();
    AMQP.Channel.Close refused = CloseReasons.channelError(
        () -> other.basicConsume("c-excl", true, new CollectingConsumer(other)));
    assertThat(refused.getReplyCode()).isEqualTo(403);
    assertThat(refused.getReplyText()).isEqualTo("ACCESS_REFUSED - queue 'c-excl' in vhost '/' in exclusive use");
    assertThat(refused.getClassId()).isEqualTo(60);
    assertThat(refused.getMethodId()).isEqualTo(20);
    Channel third = conn.createChannel();
    assertChannelError(() -> third.basicConsume("c-excl", true, "", false, true, null, new CollectingConsumer(third)),
        403, "ACCESS_REFUSED - queue 'c-excl' in vhost '/' in exclusive use");
    // once it is cancelled, anybody may consume again
    ch.basicCancel("sole");
    Channel fourth = conn.createChannel();
    assertThat(fourth.basicConsume("c-excl", true, new CollectingConsumer(fourth))).isNotEmpty();
  }

  @Test
  void anExclusiveConsumerCannotJoinAQueueThatHasConsumers() throws Exception {
    ch.queueDeclare("c-excl-late", false, false, false, null);
    ch.basicConsume("c-excl-late", true, new CollectingConsumer(ch));
    Channel other = conn.createChannel();
    assertChannelError(
        () -> other.basicConsume("c-excl-late", true, "", false, true, null, new CollectingConsumer(other)), 403,
        "ACCESS_REFUSED - queue 'c-excl-late' in vhost '/' in exclusive use");
  }

  @Test
  void higherPriorityConsumersGetMessagesFirst() throws Exception {
    ch.queueDeclare("c-prio", false, false, false, null);
    Channel lowCh = conn.createChannel();
    Channel highCh = conn.createChannel();
    highCh.basicQos(2);
    CollectingConsumer low = new CollectingConsumer(lowCh);
    CollectingConsumer high = new CollectingConsumer(highCh);
    lowCh.basicConsume("c-prio", false, "low", false, false, Map.of("x-priority", 1), low);
    highCh.basicConsume("c-prio", false, "high", false, false, Map.of("x-priority", 10), high);
    publish("c-prio", 10);
    // the high-priority consumer takes all it has room for; the rest overflow to the low one
    high.awaitCount(2);
    low.awaitCount(8);
    assertThat(high.firstBytes()).containsExactly(0, 1);
    assertThat(low.firstBytes()).containsExactlyElementsOf(IntStream.range(2, 10).boxed().toList());
    // room again at the high one: it gets the next message
    highCh.basicAck(high.last().tag(), true);
    publish("c-prio", 1);
    high.awaitCount(3);
    assertThat(low.count()).isEqualTo(8);
  }

  @Test
  void aNonIntegerPriorityIsRefused() throws Exception {
    ch.queueDeclare("c-prio-bad", false, false, false, null);
    assertChannelError(() -> ch.basicConsume("c-prio-bad", true, "", false, false, Map.of("x-priority", "high"),
        new CollectingConsumer(ch)), 406,
        "PRECONDITION_FAILED - invalid arg 'x-priority' for queue 'c-prio-bad' in vhost '/': "
            + "\"expected integer, got longstr\"");
  }

  @Test
  void cancelStopsDeliveries() throws Exception {
    ch.queueDeclare("c-cancel", false, false, false, null);
    CollectingConsumer c = new CollectingConsumer(ch);
    String tag = ch.basicConsume("c-cancel", true, c);
    publish("c-cancel", 3);
    c.awaitCount(3);
    ch.basicCancel(tag);
    await().until(() -> tag.equals(c.cancelOk.get()));
    publish("c-cancel", 2);
    assertThat(ch.queueDeclarePassive("c-cancel").getMessageCount()).isEqualTo(2);
    assertThat(ch.queueDeclarePassive("c-cancel").getConsumerCount()).isZero();
    assertThat(c.count()).isEqualTo(3);
    assertThat(c.cancelledByBroker.get()).isNull();
  }

  @Test
  void cancellingKeepsUnackedDeliveriesWithTheChannel() throws Exception {
    ch.queueDeclare("c-cancel-unacked", false, false, false, null);
    CollectingConsumer c = new CollectingConsumer(ch);
    String tag = ch.basicConsume("c-cancel-unacked", false, c);
    publish("c-cancel-unacked", 2);
    c.awaitCount(2);
    ch.basicCancel(tag);
    // still unacked, and still ackable after the cancel, as in RabbitMQ
    ch.basicAck(c.get(0).tag(), false);
    assertThat(ch.queueDeclarePassive("c-cancel-unacked").getMessageCount()).isZero();
    ch.close();
    Channel look = conn.createChannel();
    await().until(() -> look.queueDeclarePassive("c-cancel-unacked").getMessageCount() == 1);
    assertThat(look.basicGet("c-cancel-unacked", true).getBody()).containsExactly(1);
  }

  @Test
  void deletingTheQueueNotifiesItsConsumersOnEveryChannel() throws Exception {
    ch.queueDeclare("c-notify", false, false, false, null);
    List<Channel> channels = List.of(conn.createChannel(), conn.createChannel());
    List<CollectingConsumer> consumers = channels.stream().map(CollectingConsumer::new).toList();
    for (int i = 0; i < 2; i++) {
      channels.get(i).basicConsume("c-notify", true, "notified-" + i, consumers.get(i));
    }
    try (Connection admin = broker.connect()) {
      admin.createChannel().queueDelete("c-notify");
    }
    for (int i = 0; i < 2; i++) {
      String expected = "notified-" + i;
      CollectingConsumer c = consumers.get(i);
      await().until(() -> expected.equals(c.cancelledByBroker.get()));
      assertThat(channels.get(i).isOpen()).isTrue();
    }
  }

  @Test
  void consumingFromAMissingQueueIsNotFound() {
    assertChannelError(() -> ch.basicConsume("c-missing", true, new CollectingConsumer(ch)), 404,
        "NOT_FOUND - no queue 'c-missing' in vhost '/'");
  }
}
