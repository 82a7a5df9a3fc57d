package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-message expiration property: messages expire in the queue; invalid values close the channel. */
class ExpirationIT extends SharedBroker {
  private static AMQP.BasicProperties expiring(String expiration) {
    return new AMQP.BasicProperties.Builder().expiration(expiration).build();
  }

  private static void invalid(String expiration, String reason) throws Exception {
    Channel ch = conn.createChannel();
    ch.basicPublish("", "nowhere", expiring(expiration), new byte[1]);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - invalid expiration '" + expiration + "': "
        + reason);
  }

  @Test
  void invalidExpirationsAreRefusedWithRabbitMqsText() throws Exception {
    invalid("abc", "no_integer");
    invalid("", "no_integer");
    invalid("-1", "{value_negative,-1}");
    invalid("10s", "{leftover_string,\"s\"}");
    invalid("4294967296", "{value_too_large,4294967296}");
  }

  @Test
  void expiredMessagesAreNeverDelivered() throws Exception {
    try (Channel ch = conn.createChannel()) {
      String q = ch.queueDeclare("exp", false, false, true, null).getQueue();
      ch.basicPublish("", q, expiring("150"), "short".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", q, expiring("+60000"), "long".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", q, null, "none".getBytes(StandardCharsets.UTF_8));
      // the expired head goes even with no consumer and no get
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.queueDeclarePassive(q).getMessageCount() == 2);
      assertThat(new String(ch.basicGet(q, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("long");
      assertThat(new String(ch.basicGet(q, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("none");
    }
  }

  @Test
  void anExpirationOfZeroStillReachesAWaitingConsumer() throws Exception {
    Channel ch = conn.createChannel();
    String q = ch.queueDeclare("", false, true, true, null).getQueue();
    AMQP.BasicProperties zero = new AMQP.BasicProperties.Builder().expiration("0").build();
    ch.basicPublish("", q, zero, "nobody".getBytes(StandardCharsets.UTF_8));
    assertThat(ch.basicGet(q, true)).as("no consumer: expired at once").isNull();
    java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    ch.basicConsume(q, true, (tag, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> { });
    for (int i = 0; i < 20; i++) { // each of them, however long the hand-off from publisher to queue took
      ch.basicPublish("", q, zero, ("m" + i).getBytes(StandardCharsets.UTF_8));
      assertThat(got.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("m" + i);
    }
    ch.close();
  }

  @Test
  void aPersistentMessageKeepsItsExpirationAcrossRestart() throws Exception {
    try (BrokerFixture own = BrokerFixture.start()) {
      try (Connection c = own.connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("durable-exp", true, false, false, null);
        AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder().expiration("60000").build();
        ch.confirmSelect();
        ch.basicPublish("", "durable-exp", props, "kept".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(5000);
      }
      own.restart();
      try (Connection c = own.connect(); Channel ch = c.createChannel()) {
        var r = BasicGets.one(ch, "durable-exp");
        assertThat(r.getProps().getExpiration()).isEqualTo("60000");
        assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
      }
    }
  }
}
