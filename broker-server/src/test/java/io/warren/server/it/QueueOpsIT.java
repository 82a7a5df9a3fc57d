package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** queue.bind / unbind, queue.purge and queue.delete with their counts and preconditions. */
class QueueOpsIT extends ConnectionPerTest {

  @Test
  void bindRoutesAndUnbindStopsRouting() throws Exception {
    ch.queueDeclare("qo-bind", false, false, false, null);
    ch.queueBind("qo-bind", "amq.direct", "k1");
    ch.queueBind("qo-bind", "amq.direct", "k1"); // binding twice is idempotent
    ch.queueBind("qo-bind", "amq.topic", "a.*");
    AtomicInteger returns = new AtomicInteger();
    ch.addReturnListener(r -> returns.incrementAndGet());

    ch.basicPublish("amq.direct", "k1", true, null, new byte[] {1});
    ch.basicPublish("amq.topic", "a.b", true, null, new byte[] {2});
    assertThat(ch.queueDeclarePassive("qo-bind").getMessageCount()).isEqualTo(2);

    ch.queueUnbind("qo-bind", "amq.direct", "k1");
    ch.queueUnbind("qo-bind", "amq.direct", "never-bound"); // unbinding what is not bound succeeds
    ch.basicPublish("amq.direct", "k1", true, null, new byte[] {3});
    await().until(() -> returns.get() == 1);
    assertThat(ch.queueDeclarePassive("qo-bind").getMessageCount()).isEqualTo(2);
  }

  @Test
  void bindingToAMissingExchangeOrQueueIsNotFound() throws Exception {
    ch.queueDeclare("qo-bind-missing", false, false, false, null);
    assertChannelError(() -> ch.queueBind("qo-bind-missing", "qo-nope", "k"), 404,
        "NOT_FOUND - no exchange 'qo-nope' in vhost '/'");
    Channel ch2 = conn.createChannel();
    assertChannelError(() -> ch2.queueBind("qo-nope", "amq.direct", "k"), 404,
        "NOT_FOUND - no queue 'qo-nope' in vhost '/'");
  }

  @Test
  void purgeReturnsTheNumberOfReadyMessagesAndLeavesUnackedOnes() throws Exception {
    ch.queueDeclare("qo-purge", false, false, false, null);
    for (int i = 0; i < 7; i++) {
      ch.basicPublish("", "qo-purge", null, new byte[] {(byte) i});
    }
    // take two without acking: they are not purged, and come back when the channel closes
    Channel getter = conn.createChannel();
    assertThat(getter.basicGet("qo-purge", false)).isNotNull();
    assertThat(getter.basicGet("qo-purge", false)).isNotNull();

    assertThat(ch.queuePurge("qo-purge").getMessageCount()).isEqualTo(5);
    assertThat(ch.queueDeclarePassive("qo-purge").getMessageCount()).isZero();
    assertThat(ch.queuePurge("qo-purge").getMessageCount()).isZero();

    getter.close();
    await().until(() -> ch.queueDeclarePassive("qo-purge").getMessageCount() == 2);
  }

  @Test
  void purgeOfAMissingQueueIsNotFound() {
    assertChannelError(() -> ch.queuePurge("qo-purge-missing"), 404,
        "NOT_FOUND - no queue 'qo-purge-missing' in vhost '/'");
  }

  @Test
  void deleteReturnsTheMessageCountAndRemovesBindings() throws Exception {
    ch.queueDeclare("qo-delete", false, false, false, null);
    ch.queueBind("qo-delete", "amq.fanout", "");
    for (int i = 0; i < 4; i++) {
      ch.basicPublish("", "qo-delete", null, new byte[0]);
    }
    assertThat(ch.queueDelete("qo-delete").getMessageCount()).isEqualTo(4);
    assertChannelError(() -> ch.queueDeclarePassive("qo-delete"), 404,
        "NOT_FOUND - no queue 'qo-delete' in vhost '/'");

    Channel ch2 = conn.createChannel();
    AtomicInteger returns = new AtomicInteger();
    ch2.addReturnListener(r -> returns.incrementAndGet());
    ch2.basicPublish("amq.fanout", "", true, null, new byte[0]);
    await().until(() -> returns.get() == 1);
    // deleting a queue that does not exist is not an error, as in RabbitMQ
    assertThat(ch2.queueDelete("qo-delete").getMessageCount()).isZero();
  }

  @Test
  void deleteIfUnusedRefusesAQueueWithConsumers() throws Exception {
    ch.queueDeclare("qo-if-unused", false, false, false, null);
    Channel consumerCh = conn.createChannel();
    String tag = consumerCh.basicConsume("qo-if-unused", true, new DefaultConsumer(consumerCh));

    Channel deleter = conn.createChannel();
    AMQP.Channel.Close inUse = CloseReasons.channelError(() -> deleter.queueDelete("qo-if-unused", true, false));
    assertThat(inUse.getReplyCode()).isEqualTo(406);
    assertThat(inUse.getReplyText()).isEqualTo("PRECONDITION_FAILED - queue 'qo-if-unused' in vhost '/' in use");
    assertThat(inUse.getClassId()).isEqualTo(50);
    assertThat(inUse.getMethodId()).isEqualTo(40);
    assertThat(ch.queueDeclarePassive("qo-if-unused").getConsumerCount()).isEqualTo(1);

    consumerCh.basicCancel(tag);
    assertThat(ch.queueDelete("qo-if-unused", true, false).getMessageCount()).isZero();
  }

  @Test
  void deleteIfEmptyRefusesAQueueWithReadyMessages() throws Exception {
    ch.queueDeclare("qo-if-empty", false, false, false, null);
    ch.basicPublish("", "qo-if-empty", null, new byte[] {1});
    Channel deleter = conn.createChannel();
    assertChannelError(() -> deleter.queueDelete("qo-if-empty", false, true), 406,
        "PRECONDITION_FAILED - queue 'qo-if-empty' in vhost '/' not empty");

    // an unacked message does not make the queue "not empty", as in RabbitMQ
    assertThat(ch.basicGet("qo-if-empty", false)).isNotNull();
    assertThat(ch.queueDelete("qo-if-empty", false, true).getMessageCount()).isZero();
  }

  @Test
  void deletingAQueueCancelsItsConsumers() throws Exception {
    ch.queueDeclare("qo-delete-cancel", false, false, false, null);
    Channel consumerCh = conn.createChannel();
    AtomicReference<String> cancelled = new AtomicReference<>();
    List<Long> delivered = new CopyOnWriteArrayList<>();
    String tag = consumerCh.basicConsume("qo-delete-cancel", false, new DefaultConsumer(consumerCh) {
      @Override
      public void handleDelivery(String t, Envelope env, AMQP.BasicProperties p, byte[] body) {
        delivered.add(env.getDeliveryTag());
      }

      @Override
      public void handleCancel(String consumerTag) {
        cancelled.set(consumerTag);
      }
    });
    ch.basicPublish("", "qo-delete-cancel", null, new byte[] {1});
    await().until(() -> delivered.size() == 1);

    ch.queueDelete("qo-delete-cancel");
    await().until(() -> tag.equals(cancelled.get()));
    // the channel stays open, and acking what the deleted queue delivered is still fine
    consumerCh.basicAck(delivered.get(0), false);
    assertThat(consumerCh.queueDeclare("qo-after", false, false, true, null).getQueue()).isEqualTo("qo-after");
    assertThat(consumerCh.isOpen()).isTrue();
  }
}
