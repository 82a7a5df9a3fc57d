package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.warren.amqp.generated.BasicPublish;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large bodies at the broker's own frame-max, as a client that takes the broker's proposal sends them: many body
 * frames per message, cut by socket reads anywhere, published while a consumer on another connection takes them.
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

  /** Sizes around the broker's frame-max and well beyond it, odd ones included. */
  private static List<Integer> sizes(int frameMax) {
    int perFrame = frameMax - 8;
    return List.of(1_000_000, perFrame - 1, perFrame, perFrame + 1, 8 * perFrame, 8 * perFrame + 7, 1_048_576,
        3_333_333, 5 << 20, 65_537, 8191, 8192, 8193, 1);
  }

  @Test
  void largeBodiesPublishedWhileConsumedArriveWholeAndInOrderAndLeakNothing() throws Exception {
    try (LeakCheck check = LeakCheck.start()) {
      try (Connection pubConn = broker.connect(); Connection subConn = broker.connect()) {
        assertThat(pubConn.getFrameMax()).isEqualTo(broker.broker().config().limits().frameMax());
        List<Integer> sizes = sizes(pubConn.getFrameMax());
        Channel pub = pubConn.createChannel();
        String q = pub.queueDeclare("large-transient", false, false, true, null).getQueue();
        Channel sub = subConn.createChannel();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        sub.basicConsume(q, true, collect(sub, received));
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < sizes.size(); i++) {
            pub.basicPublish("", q, null, bytes(sizes.get(i), round * 100 + i));
          }
        }
        for (int round = 0; round < 3; round++) {
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
