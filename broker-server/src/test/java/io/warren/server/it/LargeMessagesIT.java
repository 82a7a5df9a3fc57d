package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.ConnectionClose;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large bodies at the broker's own frame-max (as a client that takes the broker's proposal sends them) and at
 * RabbitMQ's: bodies of one and of several frames, cut by socket reads anywhere, published while a consumer on another
 * connection takes them.
 * Byte-identical and in order, transient and persistent, and no buffer leaked (Netty's paranoid leak detection, see
 * {@link LeakCheck}), also when a connection is lost in the middle of a large body.
 */
class LargeMessagesIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Sizes around the connection's frame-max and beyond it, odd ones included. */
  private static List<Integer> sizes(int frameMax) {
    int perFrame = frameMax - 8;
    return List.of(1_000_000, perFrame - 1, perFrame, perFrame + 1, 3 * perFrame + 7, 1_048_576, 2_345_679,
        65_537, 8191, 8192, 8193, 1);
  }

  /** A client taking the broker's frame-max (as the Java client does by default), and one asking for RabbitMQ's. */
  @ParameterizedTest
  @ValueSource(ints = {0, 131072})
  void largeBodiesPublishedWhileConsumedArriveWholeAndInOrderAndLeakNothing(int requestedFrameMax) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedFrameMax(requestedFrameMax);
    try (LeakCheck check = LeakCheck.start()) {
      try (Connection pubConn = f.newConnection(); Connection subConn = f.newConnection()) {
        int frameMax = requestedFrameMax == 0 ? broker.broker().config().limits().frameMax() : requestedFrameMax;
        assertThat(pubConn.getFrameMax()).isEqualTo(frameMax);
        List<Integer> sizes = sizes(frameMax);
        Channel pub = pubConn.createChannel();
        String q = pub.queueDeclare("large-transient-" + frameMax, false, false, true, null).getQueue();
        Channel sub = subConn.createChannel();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        sub.basicConsume(q, true, collect(sub, received));
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < sizes.size(); i++) {
            pub.basicPublish("", q, null, bytes(sizes.get(i), round * 100 + i));
          }
        }
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < sizes.size(); i++) {
            byte[] body = received.poll(30, TimeUnit.SECONDS);
            assertThat(body).as("round %d size %d", round, sizes.get(i)).isNotNull()
                .isEqualTo(bytes(sizes.get(i), round * 100 + i));
          }
        }
      }
      // a connection lost half-way through a large body, and one through a large body's frame
      for (int sent : new int[] {300_000, 70_000}) {
        try (RawAmqpClient raw = RawAmqpClient.open(broker.port())) {
          raw.openChannel(1);
          raw.send(1, new BasicPublish("", "amq.gen-none", false, false));
          raw.sendHeader(1, 60, 1_000_000);
          byte[] frame = new byte[RawAmqpClient.DEFAULT_FRAME_MAX - 8];
          for (int done = 0; done + frame.length <= sent; done += frame.length) {
            raw.sendBody(1, frame);
          }
          raw.sendBytes(new byte[] {3, 0, 1, 0, 1, (byte) 0xff, (byte) 0xf8}); // the prefix of one more body frame
          raw.sendBytes(new byte[sent % frame.length]);
          raw.abort();
        }
      }
      assertThat(check.leaks()).as("Netty leak reports").isEmpty();
    }
  }

  /** The broker's own frame-max is what it enforces: a body frame exactly at it passes, one byte more is 501. */
  @Test
  void aBodyFrameExactlyAtTheBrokersFrameMaxPassesAndOneByteMoreIsAFrameError() throws Exception {
    int frameMax = broker.broker().config().limits().frameMax();
    try (Connection conn = broker.connect(); RawAmqpClient raw = RawAmqpClient.connect(broker.port())) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare("large-frame-max", false, false, true, null).getQueue();
      raw.handshake(0, frameMax, 0);
      raw.openChannel(1);
      byte[] fits = bytes(frameMax - 8, 5);
      raw.send(1, new BasicPublish("", q, false, false));
      raw.sendHeader(1, 60, fits.length + 3);
      raw.sendBody(1, fits);
      raw.sendBody(1, new byte[] {1, 2, 3});
      GetResponse r = BasicGets.one(ch, q);
      assertThat(r.getBody()).hasSize(fits.length + 3).startsWith(fits).endsWith(1, 2, 3);

      raw.send(1, new BasicPublish("", q, false, false));
      raw.sendHeader(1, 60, frameMax);
      int size = frameMax - 7; // only the prefix is sent: the broker refuses the frame from it alone
      raw.sendBytes(new byte[] {3, 0, 1, (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
      ConnectionClose close = raw.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(501);
      assertThat(close.replyText()).isEqualTo("FRAME_ERROR - frame size " + (frameMax + 1) + " exceeds frame-max "
          + frameMax);
    }
  }

  @Test
  void persistentLargeBodiesAreConfirmedAndDeliveredWhole() throws Exception {
    try (Connection conn = broker.connect()) {
      List<Integer> sizes = sizes(conn.getFrameMax());
      Channel pub = conn.createChannel();
      pub.confirmSelect();
      String q = pub.queueDeclare("large-persistent", true, false, false, null).getQueue();
      for (int i = 0; i < sizes.size(); i++) {
        pub.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, bytes(sizes.get(i), -i));
      }
      pub.waitForConfirmsOrDie(30_000);
      Channel sub = conn.createChannel();
      sub.basicQos(3);
      BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
      sub.basicConsume(q, false, new DefaultConsumer(sub) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body)
            throws java.io.IOException {
          received.add(body);
          sub.basicAck(env.getDeliveryTag(), false);
        }
      });
      for (int i = 0; i < sizes.size(); i++) {
        assertThat(received.poll(30, TimeUnit.SECONDS)).as("size %d", sizes.get(i)).isEqualTo(bytes(sizes.get(i), -i));
      }
      pub.queueDelete(q);
    }
  }

  private static DefaultConsumer collect(Channel ch, BlockingQueue<byte[]> into) {
    return new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
        into.add(body);
      }
    };
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
