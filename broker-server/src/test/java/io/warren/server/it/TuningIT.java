package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.BodyFrame;
import io.warren.amqp.Frame;
import io.warren.amqp.HeaderFrame;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.BasicGet;
import io.warren.amqp.generated.BasicGetOk;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.ChannelOpen;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.server.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * connection.tune as RabbitMQ negotiates it: the broker proposes its limits, the client may ask for less, and the
 * negotiated channel-max and frame-max are then enforced on what the client sends and respected in what the broker
 * sends.
 */
class TuningIT {
  private static BrokerFixture broker;
  private static Connection helper;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
    helper = broker.connect();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    helper.close();
    broker.close();
  }

  @Test
  void theBrokerProposesItsConfiguredLimits() {
    BrokerConfig.Limits limits = broker.broker().config().limits();
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      ConnectionTune tune = c.login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
      assertThat(tune.channelMax()).isEqualTo(limits.channelMax());
      assertThat(tune.frameMax()).isEqualTo(limits.frameMax());
      assertThat(tune.heartbeat()).isEqualTo(limits.heartbeatSeconds());
    }
  }

  @Test
  void theJavaClientGetsTheSmallerValuesItAsksFor() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedChannelMax(10);
    f.setRequestedFrameMax(8192);
    try (Connection conn = f.newConnection()) {
      assertThat(conn.getChannelMax()).isEqualTo(10);
      assertThat(conn.getFrameMax()).isEqualTo(8192);
      assertThat(conn.createChannel(10)).isNotNull();
      // a body much larger than frame-max crosses both ways split into frames, and arrives whole
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare().getQueue();
      byte[] body = randomBytes(50_000);
      ch.basicPublish("", q, null, body);
      GetResponse r = BasicGets.one(ch, q);
      assertThat(r.getBody()).isEqualTo(body);
    }
  }

  @Test
  void bodiesAreSplitAtTheNegotiatedFrameMax() throws Exception {
    Channel ch = helper.createChannel();
    String q = ch.queueDeclare("tuning-split", false, false, true, null).getQueue();
    byte[] body = randomBytes(10_000);
    ch.basicPublish("", q, null, body);
    // the other connection's basic.get must find it: enqueueing is asynchronous to the publisher's connection
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> ch.messageCount(q) == 1);
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.handshake(0, 4096, 0);
      c.openChannel(1);
      c.send(1, new BasicGet(q, true));
      assertThat(c.expect(BasicGetOk.class).messageCount()).isZero();
      Frame header = c.readFrame();
      assertThat(header).isInstanceOf(HeaderFrame.class);
      assertThat(((HeaderFrame) header).bodySize()).isEqualTo(body.length);
      ReferenceCountUtil.release(header);
      byte[] received = new byte[0];
      while (received.length < body.length) {
        Frame f = c.readFrame();
        assertThat(f).isInstanceOf(BodyFrame.class);
        assertThat(c.lastFrameSize() + 8).as("frame size with overhead").isLessThanOrEqualTo(4096);
        byte[] part = new byte[((BodyFrame) f).payload().readableBytes()];
        ((BodyFrame) f).payload().getBytes(0, part);
        ReferenceCountUtil.release(f);
        received = concat(received, part);
      }
      assertThat(received).isEqualTo(body);
    } finally {
      ch.close();
    }
  }

  @Test
  void aFrameExactlyAtFrameMaxIsAcceptedAndOneByteMoreIsAFrameError() throws Exception {
    Channel ch = helper.createChannel();
    String q = ch.queueDeclare("tuning-frame-max", false, false, true, null).getQueue();
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.handshake(0, 4096, 0);
      c.openChannel(1);
      byte[] fits = randomBytes(4096 - 8);
      c.send(1, new BasicPublish("", q, false, false));
      c.sendHeader(1, 60, fits.length);
      c.sendBody(1, fits);
      assertThat(BasicGets.one(ch, q).getBody()).isEqualTo(fits);

      c.send(1, new BasicPublish("", q, false, false));
      c.sendHeader(1, 60, fits.length + 1);
      c.sendBody(1, randomBytes(fits.length + 1));
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(501);
      assertThat(close.replyText()).startsWith("FRAME_ERROR - ").contains("4097").contains("4096");
    } finally {
      ch.close();
    }
  }

  @Test
  void openingAChannelAboveChannelMaxIsAConnectionError() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.handshake(2, RawAmqpClient.DEFAULT_FRAME_MAX, 0);
      c.openChannel(1);
      c.openChannel(2);
      c.send(3, ChannelOpen.INSTANCE);
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(530);
      assertThat(close.replyText()).startsWith("NOT_ALLOWED - ").contains("channel_max (2)");
      assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(20, 10);
    }
  }

  @Test
  void aFrameMaxBelowTheMinimumOrAboveTheBrokersIsRefused() {
    int brokerMax = broker.broker().config().limits().frameMax();
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
      c.tune(0, 1024, 0);
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(530);
      assertThat(close.replyText()).isEqualTo("NOT_ALLOWED - frame_max=1024 < 4096 min size");
    }
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
      c.tune(0, brokerMax * 2, 0);
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(530);
      assertThat(close.replyText()).isEqualTo("NOT_ALLOWED - frame_max=" + brokerMax * 2 + " > " + brokerMax
          + " max size");
    }
  }

  @Test
  void aChannelMaxAboveTheBrokersOrUnlimitedIsRefusedNotLowered() {
    int brokerMax = broker.broker().config().limits().channelMax();
    for (int asked : new int[] {brokerMax + 1, 0}) {
      try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
        c.login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
        c.tune(asked, RawAmqpClient.DEFAULT_FRAME_MAX, 0);
        ConnectionClose close = c.expectConnectionClose();
        assertThat(close.replyCode()).isEqualTo(530);
        assertThat(close.replyText()).isEqualTo("NOT_ALLOWED - negotiated channel_max = " + asked
            + (asked == 0 ? " (no limit)" : "") + " is higher than the maximum allowed value (" + brokerMax + ")");
      }
    }
  }

  @Test
  void framesLargerThanTheMinimumFrameSizeAreRefusedBeforeTuneOk() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(io.warren.amqp.generated.ConnectionStart.class);
      // a start-ok whose client properties make the frame larger than 4096 bytes (an OAuth token, say)
      c.send(0, new io.warren.amqp.generated.ConnectionStartOk(
          java.util.Map.of("padding", LongString.copyOf(new byte[5000])), "PLAIN",
          LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)), "en_US"));
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(501);
      assertThat(close.replyText()).startsWith("FRAME_ERROR - frame size ").endsWith("exceeds frame-max 4096");
      assertThat(c.awaitClosedByPeer(java.time.Duration.ofSeconds(1))).isTrue();
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
