package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.QueueDeclareIT.locked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exclusive queues (locked to their connection, deleted with it) and auto-delete queues. */
class QueueLifecycleIT {
  private static BrokerFixture broker;
  private Connection owner;
  private Connection other;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void open() {
    owner = broker.connect();
    other = broker.connect();
  }

  @AfterEach
  void close() throws Exception {
    if (owner.isOpen()) {
      owner.close();
    }
    other.close();
  }

  /** Every queue method from another connection: 405 RESOURCE_LOCKED, on a fresh channel each time. */
  @Test
  void anExclusiveQueueIsLockedToItsConnection() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-excl", false, true, false, null);
    ch.basicPublish("", "ql-excl", null, new byte[] {1});

    String text = locked("ql-excl");
    expectLocked(c -> c.queueDeclare("ql-excl", false, true, false, null), text);
    expectLocked(c -> c.queueDeclare("ql-excl", false, false, false, null), text);
    expectLocked(c -> c.queueDeclarePassive("ql-excl"), text);
    expectLocked(c -> c.basicConsume("ql-excl", true, new DefaultConsumer(c)), text);
    expectLocked(c -> c.basicGet("ql-excl", true), text);
    expectLocked(c -> c.queueBind("ql-excl", "amq.direct", "k"), text);
    expectLocked(c -> c.queueUnbind("ql-excl", "amq.direct", "k"), text);
    expectLocked(c -> c.queuePurge("ql-excl"), text);
    expectLocked(c -> c.queueDelete("ql-excl"), text);

    // the owner still has its queue and its message; others may publish to it, as in RabbitMQ
    Channel publisher = other.createChannel();
    publisher.basicPublish("", "ql-excl", null, new byte[] {2});
    await().until(() -> ch.queueDeclarePassive("ql-excl").getMessageCount() == 2);
    GetResponse r = ch.basicGet("ql-excl", true);
    assertThat(r.getBody()).containsExactly(1);
  }

  /** A call on a channel that the broker should refuse. */
  interface ChannelCall {
    Object apply(Channel c) throws Exception;
  }

  private void expectLocked(ChannelCall call, String text) throws IOException {
    Channel c = other.createChannel();
    assertChannelError(() -> call.apply(c), 405, text);
  }

  @Test
  void anExclusiveQueueIsDeletedWhenItsConnectionCloses() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-excl-close", true, true, false, null);
    ch.queueBind("ql-excl-close", "amq.fanout", "");
    ch.basicPublish("", "ql-excl-close", null, new byte[] {1});
    owner.close();

    await().until(() -> !exists(other, "ql-excl-close"));
    // its bindings went with it: a fanout publish reaches nobody, so a mandatory one comes back
    Channel probe = other.createChannel();
    java.util.concurrent.atomic.AtomicInteger returns = new java.util.concurrent.atomic.AtomicInteger();
    probe.addReturnListener(ret -> returns.incrementAndGet());
    probe.basicPublish("amq.fanout", "", true, null, new byte[] {2});
    await().until(() -> returns.get() == 1);
    // and the name is free for another connection
    probe.queueDeclare("ql-excl-close", false, true, false, null);
  }

  @Test
  void anExclusiveQueueIsDeletedWhenItsConnectionIsLost() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-excl-abort", false, true, false, null);
    owner.abort(); // no connection.close: the socket just goes
    await().until(() -> !exists(other, "ql-excl-abort"));
  }

  @Test
  void closingAChannelDoesNotDeleteTheConnectionsExclusiveQueue() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-excl-channel", false, true, false, null);
    ch.close();
    Channel again = owner.createChannel();
    assertThat(again.queueDeclarePassive("ql-excl-channel").getQueue()).isEqualTo("ql-excl-channel");
  }

  @Test
  void anAutoDeleteQueueLivesUntilItsLastConsumerGoes() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-auto", false, false, true, null);
    ch.basicPublish("", "ql-auto", null, new byte[] {1});
    // basic.get is not a subscription: the queue stays
    assertThat(ch.basicGet("ql-auto", true)).isNotNull();
    assertThat(exists(other, "ql-auto")).isTrue();

    String first = ch.basicConsume("ql-auto", true, new DefaultConsumer(ch));
    Channel ch2 = owner.createChannel();
    String second = ch2.basicConsume("ql-auto", true, new DefaultConsumer(ch2));
    assertThat(ch.queueDeclarePassive("ql-auto").getConsumerCount()).isEqualTo(2);

    ch.basicCancel(first);
    assertThat(ch.queueDeclarePassive("ql-auto").getConsumerCount()).isEqualTo(1);
    ch2.basicCancel(second);
    await().until(() -> !exists(other, "ql-auto"));
  }

  @Test
  void anAutoDeleteQueueGoesWhenItsConsumersChannelCloses() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-auto-close", false, false, true, null);
    Channel consumerCh = owner.createChannel();
    consumerCh.basicConsume("ql-auto-close", false, new DefaultConsumer(consumerCh));
    assertThat(exists(other, "ql-auto-close")).isTrue();
    consumerCh.close();
    await().until(() -> !exists(other, "ql-auto-close"));
  }

  @Test
  void anAutoDeleteQueueWithoutConsumersEverStays() throws Exception {
    Channel ch = owner.createChannel();
    ch.queueDeclare("ql-auto-never", false, false, true, null);
    owner.close();
    Channel check = other.createChannel();
    assertThat(check.queueDeclarePassive("ql-auto-never").getQueue()).isEqualTo("ql-auto-never");
    check.queueDelete("ql-auto-never");
  }

  /** A passive declare on a throwaway channel: false when the broker says 404. */
  static boolean exists(Connection via, String queue) throws IOException {
    Channel probe = via.createChannel();
    try {
      probe.queueDeclarePassive(queue);
      probe.close();
      return true;
    } catch (IOException e) {
      if (e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException s
          && s.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close && close.getReplyCode() == 404) {
        return false;
      }
      throw e;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }
}
