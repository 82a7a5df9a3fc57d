package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** queue.declare as RabbitMQ answers it: flags, server-chosen names, passive declares, equivalence, reserved names. */
class QueueDeclareIT extends ConnectionPerTest {

  @Test
  void declareOkEchoesTheNameAndRedeclaringTheSameQueueIsAllowed() throws Exception {
    AMQP.Queue.DeclareOk ok = ch.queueDeclare("qd-durable", true, false, false, null);
    assertThat(ok.getQueue()).isEqualTo("qd-durable");
    assertThat(ok.getMessageCount()).isZero();
    assertThat(ok.getConsumerCount()).isZero();

    AMQP.Queue.DeclareOk again = ch.queueDeclare("qd-durable", true, false, false, null);
    assertThat(again.getQueue()).isEqualTo("qd-durable");
    ch.queueDeclare("qd-exclusive-auto", false, true, true, null);
    ch.queueDeclare("qd-exclusive-auto", false, true, true, null);
  }

  @Test
  void serverNamedQueuesAreUniqueAndExclusiveToTheConnection() throws Exception {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String name = ch.queueDeclare().getQueue();
      assertThat(name).startsWith("amq.gen-").hasSizeGreaterThan("amq.gen-".length() + 10);
      names.add(name);
    }
    assertThat(names).hasSize(20);

    String name = names.iterator().next();
    try (Connection other = broker.connect()) {
      Channel otherCh = other.createChannel();
      assertChannelError(() -> otherCh.queueDeclarePassive(name), 405, locked(name));
    }
    // a server-chosen name is also usable with the other queue methods
    ch.queueBind(name, "amq.fanout", "");
    ch.basicPublish("amq.fanout", "", null, new byte[] {1});
    await().until(() -> ch.queueDeclarePassive(name).getMessageCount() == 1);
  }

  @Test
  void emptyNameInOtherMethodsMeansTheLastDeclaredQueue() throws Exception {
    String name = ch.queueDeclare().getQueue();
    ch.basicPublish("", name, null, new byte[] {7});
    assertThat(ch.queuePurge("").getMessageCount()).isEqualTo(1);
    assertThat(ch.queueDelete("").getMessageCount()).isZero();
    assertChannelError(() -> ch.queueDeclarePassive(name), 404, "NOT_FOUND - no queue '" + name + "' in vhost '/'");
  }

  @Test
  void passiveDeclareReportsReadyMessagesAndConsumers() throws Exception {
    ch.queueDeclare("qd-counts", false, false, false, null);
    for (int i = 0; i < 5; i++) {
      ch.basicPublish("", "qd-counts", null, new byte[] {(byte) i});
    }
    // on the publishing channel the count includes every earlier publish, as RabbitMQ's ordering guarantees
    AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("qd-counts");
    assertThat(ok.getMessageCount()).isEqualTo(5);
    assertThat(ok.getConsumerCount()).isZero();

    Channel consumerCh = conn.createChannel();
    consumerCh.basicQos(2);
    AtomicInteger delivered = new AtomicInteger();
    consumerCh.basicConsume("qd-counts", false, new DefaultConsumer(consumerCh) {
      @Override
      public void handleDelivery(String tag, com.rabbitmq.client.Envelope env, AMQP.BasicProperties p, byte[] b) {
        delivered.incrementAndGet();
      }
    });
    await().until(() -> delivered.get() == 2);
    // unacked deliveries are not counted, as in RabbitMQ
    ok = ch.queueDeclarePassive("qd-counts");
    assertThat(ok.getMessageCount()).isEqualTo(3);
    assertThat(ok.getConsumerCount()).isEqualTo(1);
    // a plain redeclare reports the same counts
    AMQP.Queue.DeclareOk redeclared = ch.queueDeclare("qd-counts", false, false, false, null);
    assertThat(redeclared.getMessageCount()).isEqualTo(3);
    assertThat(redeclared.getConsumerCount()).isEqualTo(1);
  }

  @Test
  void passiveDeclareOfAMissingQueueIsNotFound() {
    assertChannelError(() -> ch.queueDeclarePassive("qd-missing"), 404,
        "NOT_FOUND - no queue 'qd-missing' in vhost '/'");
  }

  @Test
  void reservedNamesAreRefusedButMayBeCheckedPassively() throws Exception {
    assertChannelError(() -> ch.queueDeclare("amq.mine", false, false, false, null), 403,
        "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
    Channel second = conn.createChannel();
    assertChannelError(() -> second.queueDeclarePassive("amq.mine"), 404,
        "NOT_FOUND - no queue 'amq.mine' in vhost '/'");
  }

  @Test
  void redeclaringWithOtherDurabilityIsInequivalent() throws Exception {
    ch.queueDeclare("qd-eq-durable", false, false, false, null);
    assertChannelError(() -> ch.queueDeclare("qd-eq-durable", true, false, false, null), 406,
        "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'qd-eq-durable' in vhost '/': "
            + "received 'true' but current is 'false'");
  }

  @Test
  void redeclaringWithOtherAutoDeleteIsInequivalent() throws Exception {
    ch.queueDeclare("qd-eq-auto", true, false, false, null);
    assertChannelError(() -> ch.queueDeclare("qd-eq-auto", true, false, true, null), 406,
        "PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue 'qd-eq-auto' in vhost '/': "
            + "received 'true' but current is 'false'");
  }

  @Test
  void redeclaringWithAnotherArgumentValueIsInequivalent() throws Exception {
    ch.queueDeclare("qd-eq-args", false, false, false, Map.of("x-max-length", 10));
    assertChannelError(() -> ch.queueDeclare("qd-eq-args", false, false, false, Map.of("x-max-length", 20)), 406,
        "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'qd-eq-args' in vhost '/': "
            + "received '20' but current is '10'");
  }

  @Test
  void redeclaringWithoutAnArgumentIsInequivalent() throws Exception {
    ch.queueDeclare("qd-eq-missing", false, false, false, Map.of("x-message-ttl", 5000));
    assertChannelError(() -> ch.queueDeclare("qd-eq-missing", false, false, false, null), 406,
        "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'qd-eq-missing' in vhost '/': "
            + "received none but current is the value '5000' of type 'signedint'");
  }

  @Test
  void integerArgumentsOfAnotherWidthAndUnknownArgumentsAreEquivalent() throws Exception {
    ch.queueDeclare("qd-eq-width", false, false, false, Map.of("x-max-length", 10, "my-tag", "a"));
    // RabbitMQ compares integers by value whatever their field type, and ignores arguments it does not know
    ch.queueDeclare("qd-eq-width", false, false, false, Map.of("x-max-length", 10L, "my-tag", "b"));
    ch.queueDeclare("qd-eq-width", false, false, false, Map.of("x-max-length", (short) 10));
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void declaringAnExclusiveQueueOverANonExclusiveOneIsLocked() throws Exception {
    ch.queueDeclare("qd-excl-mismatch", false, false, false, null);
    assertChannelError(() -> ch.queueDeclare("qd-excl-mismatch", false, true, false, null), 405,
        locked("qd-excl-mismatch"));
  }

  static String locked(String queue) {
    return "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + queue + "' in vhost '/'. It could "
        + "be originally declared on another connection or the exclusive property value does not match that of the "
        + "original declaration.";
  }
}
