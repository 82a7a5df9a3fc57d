package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.BasicQosOk;
import io.warren.amqp.generated.ChannelOpen;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionTuneOk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and out-of-order frames from a raw client: each is a connection error with the reply code RabbitMQ uses,
 * and none of them disturbs another connection, which keeps publishing and consuming (checked after every test).
 */
class MalformedFrameIT {
  private static BrokerFixture broker;
  private static Connection bystander;
  private static Channel bystanderChannel;
  private static final Set<String> received = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = BrokerFixture.start();
    bystander = broker.connect();
    bystanderChannel = bystander.createChannel();
    String q = bystanderChannel.queueDeclare("malformed-bystander", false, false, true, null).getQueue();
    bystanderChannel.basicConsume(q, true, (tag, d) -> received.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        tag -> { });
  }

  @AfterAll
  static void stopBroker() throws Exception {
    bystander.close();
    broker.close();
  }

  @AfterEach
  void anotherConnectionIsUnaffected() throws Exception {
    assertThat(bystander.isOpen()).isTrue();
    String marker = UUID.randomUUID().toString();
    bystanderChannel.basicPublish("", "malformed-bystander", null, marker.getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> received.contains(marker));
  }

  // ---- framing: the byte stream is out of step, 501 -------------------------------------------------------------

  @Test
  void aBadFrameEndOctetIsAFrameErrorAndTheSocketIsClosed() {
    try (RawAmqpClient c = opened()) {
      c.sendFrame(1, 1, methodPayload(new BasicQos(0, 10, false)), 0x00);
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(501);
      assertThat(close.replyText()).isEqualTo("FRAME_ERROR - frame end octet was 0x0, expected 0xce");
      // the broker no longer trusts the stream, so it cannot read our close-ok: it closes the socket at once
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void aFrameLargerThanFrameMaxIsRefusedFromItsHeaderAlone() {
    ConnectionClose close = provoke(c -> c.sendBytes(new byte[] {3, 0, 1, 0, 0x0F, 0x42, 0x40})); // 1,000,000 bytes
    assertThat(close.replyCode()).isEqualTo(501);
    assertThat(close.replyText()).isEqualTo("FRAME_ERROR - frame size 1000008 exceeds frame-max "
        + RawAmqpClient.DEFAULT_FRAME_MAX);
  }

  @Test
  void theCloseOfAnOversizedFrameArrivesWhileItsBodyIsStillComing() {
    // what follows the broken frame is never read; closing over it would reset the connection and could lose the close
    // (the body goes on arriving after the broker answered, as a client's writer thread goes on writing it)
    byte[] chunk = new byte[16 * 1024];
    for (int i = 0; i < 5; i++) {
      ConnectionClose close = provoke(c -> {
        c.sendBytes(new byte[] {3, 0, 1, 0, 0x0F, 0x42, 0x40});
        for (int k = 0; k < 10; k++) {
          c.sendBytes(chunk);
          sleepMillis(10);
        }
      });
      assertThat(close.replyCode()).isEqualTo(501);
    }
  }

  @Test
  void anUnknownFrameTypeIsAFrameError() {
    ConnectionClose close = provoke(c -> c.sendFrame(5, 1, new byte[] {1, 2, 3}));
    assertThat(close.replyCode()).isEqualTo(501);
    assertThat(close.replyText()).isEqualTo("FRAME_ERROR - unknown frame type 5");
  }

  @Test
  void aHeartbeatOnANonZeroChannelIsAnUnexpectedFrameAsInRabbitMq() {
    try (RawAmqpClient c = opened()) {
      c.sendHeartbeat(1);
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(505);
      assertThat(close.replyText()).isEqualTo("UNEXPECTED_FRAME - heartbeat frame on channel 1");
      // the frame was well delimited: the broker still reads, and takes our close-ok
      c.send(0, new io.warren.amqp.generated.ConnectionCloseOk());
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void aHeartbeatWithAPayloadIsAFrameError() {
    ConnectionClose close = provoke(c -> c.sendFrame(8, 0, new byte[] {1, 2}));
    assertThat(close.replyCode()).isEqualTo(501);
  }

  @Test
  void moreBodyThanTheHeaderAnnouncedIsAFrameError() {
    ConnectionClose close = provoke(c -> {
      c.send(1, new BasicPublish("", "malformed-bystander", false, false));
      c.sendHeader(1, 60, 3);
      c.sendBody(1, new byte[5]);
    });
    assertThat(close.replyCode()).isEqualTo(501);
  }

  // ---- method frames that do not decode ----------------------------------------------------------------------

  @Test
  void anUnknownClassOrMethodDropsTheSocketAsInRabbitMq() {
    // RabbitMQ 3.10's reader gives up on a method it cannot name: the socket closes without connection.close
    for (byte[] unknown : new byte[][] {{0, 99, 0, 10}, {0, 60, 0, 99}}) {
      try (RawAmqpClient c = opened()) {
        c.sendMethodPayload(1, unknown);
        assertThat(c.awaitClosedByPeer(Duration.ofSeconds(2))).isTrue();
      }
    }
  }

  @Test
  void truncatedArgumentsAreAFrameErrorAsInRabbitMq() {
    // queue.declare: ticket, then a queue name announced as 10 bytes of which only 2 arrive
    ConnectionClose close = provoke(c -> c.sendMethodPayload(1, new byte[] {0, 50, 0, 10, 0, 0, 10, 'a', 'b'}));
    assertThat(close.replyCode()).isEqualTo(501);
    assertThat(close.replyText()).isEqualTo("FRAME_ERROR - cannot decode queue.declare: arguments truncated");
    assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(50, 10);
  }

  @Test
  void trailingBytesAndAMethodFrameTooShortForItsIdsAreFrameErrors() {
    byte[] qos = methodPayload(new BasicQos(0, 10, false));
    ConnectionClose close = provoke(c -> c.sendMethodPayload(1, Arrays.copyOf(qos, qos.length + 1)));
    assertThat(close.replyCode()).isEqualTo(501);
    assertThat(close.replyText()).contains("basic.qos").contains("unexpected bytes");

    close = provoke(c -> c.sendMethodPayload(1, new byte[] {0, 60}));
    assertThat(close.replyCode()).isEqualTo(501);
  }

  // ---- frames out of order: 505 -------------------------------------------------------------------------------

  @Test
  void aContentHeaderWithoutAPublishIsAnUnexpectedFrame() {
    ConnectionClose close = provoke(c -> c.sendHeader(1, 60, 5));
    assertThat(close.replyCode()).isEqualTo(505);
    assertThat(close.replyText()).startsWith("UNEXPECTED_FRAME - ");
  }

  @Test
  void aBodyWithoutAHeaderIsAnUnexpectedFrame() {
    ConnectionClose afterPublish = provoke(c -> {
      c.send(1, new BasicPublish("", "malformed-bystander", false, false));
      c.sendBody(1, "hello".getBytes(StandardCharsets.UTF_8));
    });
    assertThat(afterPublish.replyCode()).isEqualTo(505);
    ConnectionClose alone = provoke(c -> c.sendBody(1, "hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(alone.replyCode()).isEqualTo(505);
  }

  @Test
  void aMethodWhereContentWasExpectedIsAnUnexpectedFrame() {
    ConnectionClose close = provoke(c -> {
      c.send(1, new BasicPublish("", "malformed-bystander", false, false));
      c.send(1, new BasicQos(0, 10, false));
    });
    assertThat(close.replyCode()).isEqualTo(505);
    ConnectionClose wrongClass = provoke(c -> {
      c.send(1, new BasicPublish("", "malformed-bystander", false, false));
      c.sendHeader(1, 50, 5);
    });
    assertThat(wrongClass.replyCode()).isEqualTo(505);
  }

  // ---- channels: 504 ------------------------------------------------------------------------------------------

  @Test
  void aMethodOnAChannelThatIsNotOpenIsAChannelError() {
    ConnectionClose close = provoke(c -> c.send(7, new BasicQos(0, 10, false)));
    assertThat(close.replyCode()).isEqualTo(504);
    assertThat(close.replyText()).isEqualTo("CHANNEL_ERROR - expected 'channel.open' on channel 7");
    assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(60, 10);
  }

  @Test
  void contentOnAChannelThatIsNotOpenIsAnUnexpectedFrameAsInRabbitMq() {
    ConnectionClose close = provoke(c -> c.sendHeader(7, 60, 5));
    assertThat(close.replyCode()).isEqualTo(505);
    assertThat(close.replyText()).isEqualTo("UNEXPECTED_FRAME - expected method frame, got non method frame instead");
  }

  @Test
  void openingAChannelTwiceIsAChannelError() {
    ConnectionClose close = provoke(c -> c.send(1, ChannelOpen.INSTANCE));
    assertThat(close.replyCode()).isEqualTo(504);
    assertThat(close.replyText()).isEqualTo("CHANNEL_ERROR - second 'channel.open' seen on channel 1");
    assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(20, 10);
  }

  @Test
  void anyMethodButCloseOnChannelZeroOfAnOpenConnectionIsAChannelError() {
    ConnectionClose tune = provoke(c -> c.send(0, new ConnectionTuneOk(0, 131072, 0)));
    assertThat(tune.replyCode()).isEqualTo(504);
    assertThat(RawAmqpClient.failingMethodOf(tune)).containsExactly(10, 31);
    ConnectionClose qos = provoke(c -> c.send(0, new BasicQos(0, 10, false)));
    assertThat(qos.replyCode()).isEqualTo(504);
  }

  @Test
  void aMethodOnlyTheServerSendsIsAnInvalidCommand() {
    ConnectionClose close = provoke(c -> c.send(1, new BasicQosOk()));
    assertThat(close.replyCode()).isEqualTo(503);
    assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(60, 11);
  }

  @Test
  void aMethodBeforeTheHandshakeIsDoneIsRefused() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      c.send(1, ChannelOpen.INSTANCE);
      assertThat(c.expectConnectionClose().replyCode()).isEqualTo(503);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private static RawAmqpClient opened() {
    RawAmqpClient c = RawAmqpClient.open(broker.port());
    c.openChannel(1);
    return c;
  }

  /** Opens a connection with channel 1, does something wrong, and returns the broker's connection.close. */
  private static ConnectionClose provoke(Consumer<RawAmqpClient> wrong) {
    try (RawAmqpClient c = opened()) {
      wrong.accept(c);
      return c.expectConnectionClose();
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] methodPayload(AmqpMethod method) {
    ByteBuf buf = Unpooled.buffer();
    FrameWriter.writeMethod(buf, 0, method);
    byte[] payload = new byte[buf.readableBytes() - 8];
    buf.getBytes(7, payload);
    return payload;
  }
}
