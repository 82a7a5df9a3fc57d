package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.HeaderFrame;
import io.warren.amqp.generated.BasicGet;
import io.warren.amqp.generated.BasicGetOk;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.BasicQosOk;
import io.warren.amqp.generated.ChannelClose;
import io.warren.amqp.generated.ChannelCloseOk;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Soft (channel) errors close only their channel: the connection and its other channels carry on. Includes the
 * max-message-size limit, which RabbitMQ enforces as a channel error (406).
 */
class ChannelErrorIT {
  private static final int MAX_MESSAGE_SIZE = 1024;
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start(cfg -> cfg.withLimits(TestLimits.from(cfg.limits())
        .maxMessageSize(MAX_MESSAGE_SIZE).build()));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void aSoftErrorClosesOnlyItsChannel() throws Exception {
    try (Connection conn = broker.connect()) {
      Channel failing = conn.createChannel();
      Channel other = conn.createChannel();
      String q = other.queueDeclare("soft-error-other", false, false, true, null).getQueue();

      CloseReasons.assertChannelError(() -> failing.basicGet("no-such-queue", true), 404,
          "NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
      assertThat(failing.isOpen()).isFalse();

      assertThat(conn.isOpen()).isTrue();
      assertThat(other.isOpen()).isTrue();
      other.basicPublish("", q, null, "still here".getBytes());
      assertThat(BasicGets.one(other, q).getBody()).isEqualTo("still here".getBytes());
      assertThat(conn.createChannel().queueDeclarePassive(q).getQueue()).isEqualTo(q);
    }
  }

  @Test
  void aBodyOverTheMaxMessageSizeIsRefusedWith406AndTheConnectionStaysUsable() throws Exception {
    try (Connection conn = broker.connect()) {
      Channel publisher = conn.createChannel();
      Channel other = conn.createChannel();
      String q = other.queueDeclare("max-size", false, false, true, null).getQueue();

      publisher.basicPublish("", q, null, new byte[MAX_MESSAGE_SIZE * 2]);
      AMQP.Channel.Close close = CloseReasons.awaitChannelClosed(publisher);
      assertThat(close.getReplyCode()).isEqualTo(406);
      assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - message size 2048 is larger than "
          + "configured max size 1024");
      assertThat(close.getClassId()).isEqualTo(60);
      assertThat(close.getMethodId()).isEqualTo(40);

      assertThat(conn.isOpen()).isTrue();
      byte[] atTheLimit = randomBytes(MAX_MESSAGE_SIZE);
      Channel again = conn.createChannel();
      again.basicPublish("", q, null, atTheLimit);
      assertThat(BasicGets.one(other, q).getBody()).isEqualTo(atTheLimit);
      assertThat(other.queueDeclarePassive(q).getMessageCount()).as("the refused message was not enqueued")
          .isZero();
    }
  }

  @Test
  void bodyFramesThatFollowARefusedHeaderAreIgnoredNotMisread() throws Exception {
    // a body spanning several frames: the header is refused, the frames after it must not upset the connection
    try (Connection conn = broker.connect()) {
      Channel publisher = conn.createChannel();
      publisher.basicPublish("", "anywhere", null, new byte[300_000]);
      assertThat(CloseReasons.awaitChannelClosed(publisher).getReplyCode()).isEqualTo(406);
      Channel next = conn.createChannel();
      assertThat(next.queueDeclare().getQueue()).startsWith("amq.gen-");
    }
  }

  @Test
  void onTheWireOtherChannelsAnswerWhileOneIsClosing() throws Exception {
    try (Connection helper = broker.connect();
        RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      helper.createChannel().queueDeclare("raw-soft", false, false, true, null);
      c.openChannel(1);
      c.openChannel(2);
      c.send(1, new BasicPublish("", "raw-soft", false, false));
      c.sendHeader(1, 60, MAX_MESSAGE_SIZE + 1);
      c.sendBody(1, new byte[MAX_MESSAGE_SIZE + 1]); // arrives after the refusal: ignored until close-ok
      c.send(2, new BasicQos(0, 5, false));

      ChannelClose close = c.expect(ChannelClose.class);
      assertThat(close.replyCode()).isEqualTo(406);
      assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(60, 40);
      c.expect(BasicQosOk.class);
      c.send(1, new ChannelCloseOk());

      byte[] body = randomBytes(MAX_MESSAGE_SIZE);
      c.send(2, new BasicPublish("", "raw-soft", false, false));
      c.sendHeader(2, 60, body.length);
      c.sendBody(2, Arrays.copyOfRange(body, 0, 100));
      c.sendBody(2, Arrays.copyOfRange(body, 100, body.length));
      c.send(2, new BasicGet("raw-soft", true));
      c.expect(BasicGetOk.class);
      HeaderFrame header = (HeaderFrame) c.readFrame();
      assertThat(header.bodySize()).isEqualTo(body.length);
      ReferenceCountUtil.release(header);
      assertThat(c.readBody()).isEqualTo(body);
    }
  }

  /**
   * RabbitMQ's Java client over Netty writes channel.close-ok from its I/O thread at once, while a method an
   * application thread wrote just before the broker's channel.close arrived may still wait in the event loop's queue:
   * such a method reaches the broker after the close-ok. It is dropped, not a 504 that would take the connection.
   */
  @Test
  void framesAfterTheCloseOkOfAChannelTheBrokerClosedAreDroppedUntilItIsOpenedAgain() throws Exception {
    try (Connection helper = broker.connect();
        RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      helper.createChannel().queueDeclare("raw-late", false, false, true, null);
      c.openChannel(1);
      c.send(1, new BasicGet("no-such-queue", true));
      ChannelClose close = c.expect(ChannelClose.class);
      assertThat(close.replyCode()).isEqualTo(404);
      c.send(1, new ChannelCloseOk());
      c.send(1, new BasicQos(0, 10, false)); // written before the client saw the close
      c.send(1, new BasicPublish("", "raw-late", false, false));
      c.sendHeader(1, 60, 3);
      c.sendBody(1, "old".getBytes());

      c.openChannel(1);
      c.send(1, new BasicQos(0, 10, false));
      c.expect(BasicQosOk.class);
      c.send(1, new BasicGet("raw-late", true));
      assertThat(c.readMethodFrame().method()).as("the late publish was dropped")
          .isInstanceOf(io.warren.amqp.generated.BasicGetEmpty.class);
    }
    try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      // a channel the client closed itself is closed: a method there is still a connection error, as in RabbitMQ
      c.openChannel(1);
      c.send(1, new ChannelClose(200, "bye", 0, 0));
      c.expect(ChannelCloseOk.class);
      c.send(1, new BasicQos(0, 10, false));
      io.warren.amqp.generated.ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(504);
      assertThat(close.replyText()).isEqualTo("CHANNEL_ERROR - expected 'channel.open' on channel 1");
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
