package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.BasicQosOk;
import io.warren.amqp.generated.ChannelClose;
import io.warren.amqp.generated.ChannelCloseOk;
import io.warren.amqp.generated.ChannelFlow;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionCloseOk;
import io.warren.amqp.generated.QueueDeclare;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The close handshakes, both ways, for connections and channels. */
class ConnectionCloseIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void clientCloseIsAnsweredWithCloseOkAndTheSocketClosed() {
    try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      c.openChannel(1);
      c.send(0, new ConnectionClose(200, "Goodbye", 0, 0));
      c.expect(ConnectionCloseOk.class);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(1))).as("closed right after close-ok").isTrue();
    }
  }

  @Test
  void aCloseDuringTheHandshakeIsAnsweredToo() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
      c.send(0, new ConnectionClose(200, "changed my mind", 0, 0));
      c.expect(ConnectionCloseOk.class);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void javaClientCloseIsCleanAndReleasesExclusiveQueues() throws Exception {
    String queue;
    Connection conn = broker.connect();
    queue = conn.createChannel().queueDeclare().getQueue();
    conn.close();
    assertThat(conn.getCloseReason().isInitiatedByApplication()).isTrue();
    assertThat(((AMQP.Connection.Close) conn.getCloseReason().getReason()).getReplyCode()).isEqualTo(200);

    try (Connection other = broker.connect()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        Channel ch = other.createChannel();
        try {
          ch.queueDeclarePassive(queue);
          return false;
        } catch (java.io.IOException e) {
          return ((AMQP.Channel.Close) ((ShutdownSignalException) e.getCause()).getReason()).getReplyCode() == 404;
        }
      });
    }
  }

  @Test
  void aHardErrorClosesTheConnectionWithCodeAndTextTheJavaClientReports() throws Exception {
    AtomicReference<ShutdownSignalException> heard = new AtomicReference<>();
    Connection conn = broker.connect();
    try {
      conn.addShutdownListener(heard::set);
      Channel ch = conn.createChannel();
      // RabbitMQ refuses channel.flow active=false with 540, a connection error
      AMQP.Connection.Close close = CloseReasons.connectionError(
          () -> ch.rpc(new AMQP.Channel.Flow.Builder().active(false).build()));
      assertThat(close.getReplyCode()).isEqualTo(540);
      assertThat(close.getReplyText()).isEqualTo("NOT_IMPLEMENTED - active=false");
      assertThat(close.getClassId()).isEqualTo(20);
      assertThat(close.getMethodId()).isEqualTo(20);
      await().until(() -> heard.get() != null);
      assertThat(heard.get().isHardError()).isTrue();
      assertThat(heard.get().isInitiatedByApplication()).isFalse();
      assertThat(conn.isOpen()).isFalse();
    } finally {
      conn.abort(); // a no-op once the broker closed it; close() would throw
    }
  }

  @Test
  void afterAServerCloseTheBrokerClosesTheSocketOnCloseOkAndIgnoresOtherFrames() {
    try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      c.openChannel(1);
      c.send(1, new ChannelFlow(false));
      c.send(1, new BasicQos(0, 10, false)); // ignored: the connection is closing
      ConnectionClose close = c.expect(ConnectionClose.class);
      assertThat(close.replyCode()).isEqualTo(540);
      assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(20, 20);
      c.send(0, new ConnectionCloseOk());
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(1))).as("closed on close-ok").isTrue();
    }
  }

  @Test
  void aCloseCrossingTheBrokersCloseIsAnsweredToo() {
    try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      c.openChannel(1);
      c.send(1, new ChannelFlow(false));
      c.send(0, new ConnectionClose(200, "bye", 0, 0)); // sent before we saw the broker's close
      assertThat(c.expect(ConnectionClose.class).replyCode()).isEqualTo(540);
      c.expect(ConnectionCloseOk.class);
      assertThat(c.awaitClosedByPeer(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void channelCloseBothWaysFreesTheChannelNumber() {
    try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
      c.openChannel(1);
      c.send(1, new ChannelClose(200, "done", 0, 0));
      c.expect(ChannelCloseOk.class);
      c.openChannel(1); // the number is free again

      // a soft error: the broker closes the channel, and the number is free once we answer close-ok
      c.send(1, new QueueDeclare("no-such-queue", true, false, false, false, false, Map.of()));
      ChannelClose close = c.expect(ChannelClose.class);
      assertThat(close.replyCode()).isEqualTo(404);
      assertThat(close.replyText()).isEqualTo("NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
      assertThat(RawAmqpClient.failingMethodOf(close)).containsExactly(50, 10);
      c.send(1, new BasicQos(0, 10, false)); // ignored until close-ok
      c.send(1, new ChannelCloseOk());
      c.openChannel(1);
      c.send(1, new BasicQos(0, 10, false));
      c.expect(BasicQosOk.class);
    }
  }
}
