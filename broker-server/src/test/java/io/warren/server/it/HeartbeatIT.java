package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.amqp.Frame;
import io.warren.amqp.HeartbeatFrame;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats as RabbitMQ does them: the broker sends one whenever it has written nothing for half the negotiated
 * interval, and drops a peer it has heard nothing from for two intervals. Heartbeat 0 turns both off.
 */
class HeartbeatIT {
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
  void theBrokerSendsHeartbeatsAtTheNegotiatedInterval() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.handshake(0, RawAmqpClient.DEFAULT_FRAME_MAX, 1);
      long start = System.nanoTime();
      int heartbeats = 0;
      long firstAfterMillis = -1;
      // keep our side of the bargain (one heartbeat per read attempt) and count the broker's for 2.6 intervals
      while (System.nanoTime() - start < Duration.ofMillis(2600).toNanos()) {
        c.sendHeartbeat(0);
        Frame f = c.pollFrame(Duration.ofMillis(250));
        if (f != null) {
          assertThat(f).isInstanceOf(HeartbeatFrame.class);
          assertThat(f.channel()).isZero();
          heartbeats++;
          if (firstAfterMillis < 0) {
            firstAfterMillis = (System.nanoTime() - start) / 1_000_000;
          }
        }
      }
      // RabbitMQ sends at half the interval, so one is never late at the peer
      assertThat(heartbeats).as("heartbeats in 2.6 s at a 1 s interval").isBetween(4, 6);
      assertThat(firstAfterMillis).as("first heartbeat after half an interval").isBetween(300L, 900L);
      assertThat(c.awaitClosedByPeer(Duration.ofMillis(100))).as("still connected").isFalse();
    }
  }

  @Test
  void aSilentPeerIsDisconnectedAfterTwoIntervalsWhileOneThatTalksStaysConnected() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedHeartbeat(1);
    try (Connection talker = f.newConnection();
        RawAmqpClient silent = RawAmqpClient.connect(broker.port());
        RawAmqpClient noHeartbeats = RawAmqpClient.connect(broker.port())) {
      assertThat(talker.getHeartbeat()).as("the smaller of 60 and 1").isEqualTo(1);
      noHeartbeats.handshake(0, RawAmqpClient.DEFAULT_FRAME_MAX, 0);
      silent.handshake(0, RawAmqpClient.DEFAULT_FRAME_MAX, 1);
      long start = System.nanoTime();

      assertThat(silent.awaitClosedByPeer(Duration.ofMillis(3500))).as("silent peer dropped").isTrue();
      long closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(closedAfterMillis).as("not before two intervals have passed").isGreaterThanOrEqualTo(1500);

      assertThat(talker.isOpen()).as("the Java client sends heartbeats and stays").isTrue();
      talker.createChannel().queueDeclare();
      // heartbeat 0: the broker neither sends heartbeats nor drops a silent peer
      assertThat(noHeartbeats.pollFrame(Duration.ofMillis(200))).as("no heartbeat with heartbeat 0").isNull();
      noHeartbeats.openChannel(1);
    }
  }

  /**
   * A large body frame makes the broker wait for big chunks of it before reading (the socket's receive low-water mark):
   * a client that then sends the rest slowly must still count as alive, its trickle read as it comes.
   */
  @Test
  void aLargeFrameSentSlowlyKeepsItsConnectionAlive() throws Exception {
    int size = 600_000;
    byte[] body = new byte[size];
    new java.util.Random(7).nextBytes(body);
    try (Connection consumer = broker.factory().newConnection();
        RawAmqpClient slow = RawAmqpClient.connect(broker.port())) {
      com.rabbitmq.client.Channel ch = consumer.createChannel();
      String q = ch.queueDeclare("", false, true, true, null).getQueue();
      java.util.concurrent.BlockingQueue<byte[]> got = new java.util.concurrent.LinkedBlockingQueue<>();
      ch.basicConsume(q, true, (tag, m) -> got.add(m.getBody()), tag -> { });

      slow.handshake(0, 1024 * 1024, 1);
      slow.openChannel(1);
      slow.send(1, new io.warren.amqp.generated.BasicPublish("", q, false, false));
      slow.sendHeader(1, 60, size);
      java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(size + 8);
      frame.put((byte) 3).putShort((short) 1).putInt(size).put(body).put((byte) 0xCE);
      byte[] bytes = frame.array();
      int sent = 300_000;
      slow.sendBytes(java.util.Arrays.copyOfRange(bytes, 0, sent));
      // 3.5 s, more than two 1 s intervals, at 4 KB/s: far less than the broker's low-water mark comes in meanwhile
      long start = System.nanoTime();
      while (System.nanoTime() - start < Duration.ofMillis(3500).toNanos()) {
        slow.sendBytes(java.util.Arrays.copyOfRange(bytes, sent, sent + 1000));
        sent += 1000;
        Thread.sleep(250);
      }
      assertThat(slow.awaitClosedByPeer(Duration.ofMillis(10))).as("still connected while sending").isFalse();
      slow.sendBytes(java.util.Arrays.copyOfRange(bytes, sent, bytes.length));

      byte[] delivered = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(delivered).as("the message, whole").isEqualTo(body);
      assertThat(slow.awaitClosedByPeer(Duration.ofMillis(100))).as("still connected").isFalse();
    }
  }
}
