package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ConnectionOpen;
import io.warren.amqp.generated.ConnectionOpenOk;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.amqp.generated.ConnectionTuneOk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 8-byte protocol header: anything but "AMQP 0 0 9 1" is answered with the header the broker speaks and the
 * socket is closed, as the spec (and RabbitMQ 3.x) does.
 */
class ProtocolHeaderIT {
  private static final byte[] AMQP_0_9_1 = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"amqp-0-8", "amqp-1-0", "http", "garbage", "short-garbage"})
  void aWrongHeaderIsAnsweredWithOursAndTheSocketClosed(String kind) {
    byte[] header = switch (kind) {
      case "amqp-0-8" -> new byte[] {'A', 'M', 'Q', 'P', 1, 1, 8, 0};
      case "amqp-1-0" -> new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
      case "http" -> "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
      case "garbage" -> new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 1, 2, 3, 4};
      default -> "GET ".getBytes(StandardCharsets.US_ASCII);
    };
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(header);
      assertThat(c.readBytes(8)).containsExactly(AMQP_0_9_1);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(5))).as("socket closed after the header").isTrue();
    }
  }

  @Test
  void amqp080HeaderAsRabbitMqClientsSendItIsRefusedToo() {
    // The 0-8 header real 0-8 clients send is "AMQP 1 1 8 0"; the 0-9-1 spec's example of a wrong one is "AMQP 0 0 8 0".
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 8, 0});
      assertThat(c.readBytes(8)).containsExactly(AMQP_0_9_1);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void theRightHeaderGetsConnectionStartWithPlainAndAmqplain() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      ConnectionStart start = c.expect(ConnectionStart.class);
      assertThat(start.versionMajor()).isZero();
      assertThat(start.versionMinor()).isEqualTo(9);
      assertThat(start.mechanisms()).isEqualTo(LongString.of("PLAIN AMQPLAIN"));
      assertThat(start.locales()).isEqualTo(LongString.of("en_US"));
    }
  }

  @Test
  void theAmqp09HeaderIsServedAsAmqp091AsRabbitMqDoes() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9});
      ConnectionStart start = c.expect(ConnectionStart.class);
      assertThat(start.versionMajor()).isZero();
      assertThat(start.versionMinor()).isEqualTo(9);
    }
  }

  @Test
  void aHeaderSplitOverSeveralWritesIsStillAccepted() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(new byte[] {'A', 'M', 'Q'});
      c.sendBytes(new byte[] {'P', 0, 0});
      c.sendBytes(new byte[] {9, 1});
      assertThat(c.expect(ConnectionStart.class).versionMinor()).isEqualTo(9);
    }
  }

  @Test
  void bytesSentRightBehindTheHeaderReachTheFrameDecoder() {
    // a client may pipeline the whole handshake; what follows the header in the same read must not be lost
    ByteBuf all = Unpooled.buffer();
    all.writeBytes(AMQP_0_9_1);
    FrameWriter.writeMethod(all, 0, new ConnectionStartOk(Map.of(), "PLAIN",
        LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)), "en_US"));
    FrameWriter.writeMethod(all, 0, new ConnectionTuneOk(2047, 131072, 0));
    FrameWriter.writeMethod(all, 0, new ConnectionOpen("/"));
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendBytes(bytes);
      c.expect(ConnectionStart.class);
      c.expect(ConnectionTune.class);
      c.expect(ConnectionOpenOk.class);
      c.openChannel(1);
    }
  }

  @Test
  void aClientThatNeverCompletesTheHandshakeIsDisconnectedAfterTheHandshakeTimeout() {
    try (BrokerFixture quick = BrokerFixture.start(cfg -> cfg.withLimits(TestLimits.from(cfg.limits())
            .handshakeTimeoutMillis(500).build()));
        RawAmqpClient c = RawAmqpClient.connect(quick.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
    }
  }
}
