package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.generated.BasicConsume;
import io.warren.amqp.generated.BasicConsumeOk;
import io.warren.amqp.generated.BasicDeliver;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.QueueDeclare;
import io.warren.amqp.generated.QueueDeclareOk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that vanish mid-message (RST or FIN, between frames or inside one) leave the broker healthy: nothing of the
 * half message is enqueued, new connections work, and no buffer leaks (Netty's detector, paranoid, reports none).
 */
class AbruptDisconnectIT {
  private static final String QUEUE = "abrupt";
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = BrokerFixture.start();
    try (Connection conn = broker.connect()) {
      conn.createChannel().queueDeclare(QUEUE, false, false, false, null);
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void disconnectingMidMessageLeavesTheBrokerHealthyAndLeaksNothing() throws Exception {
    try (LeakCheck leaks = LeakCheck.start()) {
      // half the body sent in one frame, then a reset
      vanish(c -> {
        publishHeader(c, 10_000);
        c.sendBody(1, new byte[5_000]);
      }, true);
      // two full frames assembled into a composite body, then a reset
      vanish(c -> {
        publishHeader(c, 300_000);
        c.sendBody(1, new byte[RawAmqpClient.DEFAULT_FRAME_MAX - 8]);
        c.sendBody(1, new byte[RawAmqpClient.DEFAULT_FRAME_MAX - 8]);
      }, true);
      // cut inside a body frame: prefix says 5,000 bytes, 2,000 arrive, then an orderly FIN
      vanish(c -> {
        publishHeader(c, 10_000);
        c.sendBytes(new byte[] {3, 0, 1, 0, 0, 0x13, (byte) 0x88});
        c.sendBytes(new byte[2_000]);
      }, false);
      // only the header, after a complete message that must still be delivered
      vanish(c -> {
        publishHeader(c, 3);
        c.sendBody(1, new byte[] {1, 2, 3});
        publishHeader(c, 3);
      }, true);

      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        assertThat(BasicGets.one(ch, QUEUE).getBody()).as("the one complete message").containsExactly(1, 2, 3);
        assertThat(ch.queueDeclarePassive(QUEUE).getMessageCount()).as("no half message enqueued").isZero();
        // and the broker carries on as usual
        for (int i = 0; i < 50; i++) {
          ch.basicPublish("", QUEUE, null, new byte[1_000 + i]);
        }
        for (int i = 0; i < 50; i++) {
          assertThat(BasicGets.one(ch, QUEUE).getBody()).hasSize(1_000 + i);
        }
      }
      assertThat(leaks.leaks()).as("Netty leak reports").isEmpty();
    }
  }

  @Test
  void aClientVanishingWithinTheHandshakeOrRightAfterTheHeaderIsHarmless() throws Exception {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.abort();
    }
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(new byte[] {'A', 'M', 'Q'});
      c.abort();
    }
    try (Connection conn = broker.connect()) {
      assertThat(conn.createChannel().queueDeclarePassive(QUEUE).getQueue()).isEqualTo(QUEUE);
    }
  }

  @Test
  void aVanishedConsumersUnackedMessagesAreRequeuedAndItsExclusiveQueueDeleted() throws Exception {
    try (Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      String shared = ch.queueDeclare("abrupt-consumed", false, false, false, null).getQueue();
      ch.basicPublish("", shared, null, "one".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", shared, null, "two".getBytes(StandardCharsets.UTF_8));

      RawAmqpClient c = RawAmqpClient.open(broker.port());
      c.openChannel(1);
      c.send(1, new QueueDeclare("abrupt-exclusive", false, false, true, false, false, Map.of()));
      c.expect(QueueDeclareOk.class);
      c.send(1, new BasicConsume(shared, "raw", false, false, false, false, Map.of()));
      c.expect(BasicConsumeOk.class);
      for (int i = 0; i < 2; i++) {
        assertThat(c.expect(BasicDeliver.class).redelivered()).isFalse();
        ReferenceCountUtil.release(c.readFrame()); // header
        c.readBody();
      }
      c.abort(); // neither acked nor cancelled
      c.close();

      assertThat(BasicGets.one(ch, shared).getEnvelope().isRedeliver()).isTrue();
      assertThat(BasicGets.one(ch, shared).getEnvelope().isRedeliver()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        Channel probe = conn.createChannel();
        try {
          probe.queueDeclarePassive("abrupt-exclusive");
          probe.close();
          return false;
        } catch (IOException e) {
          return true; // 404: the exclusive queue went with its connection
        }
      });
    }
  }

  private static void publishHeader(RawAmqpClient c, long bodySize) {
    c.send(1, new BasicPublish("", QUEUE, false, false));
    c.sendHeader(1, 60, bodySize);
  }

  /**
   * Opens a connection, does something, then drops the socket without any AMQP close: a reset after a round trip on
   * another channel (so the broker has read everything first), or an orderly FIN, which comes after the data anyway.
   */
  private static void vanish(Consumer<RawAmqpClient> work, boolean reset) {
    RawAmqpClient c = RawAmqpClient.open(broker.port());
    c.openChannel(1);
    work.accept(c);
    if (reset) {
      c.openChannel(2);
      c.abort();
    }
    c.close();
  }
}
