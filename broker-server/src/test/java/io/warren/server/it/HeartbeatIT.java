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
}
