package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.BodyFrame;
import io.warren.amqp.Frame;
import io.warren.amqp.HeaderFrame;
import io.warren.amqp.generated.BasicGet;
import io.warren.amqp.generated.BasicGetOk;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message bodies of every awkward size, published and delivered over a connection with the smallest frame-max AMQP
 * allows, so that bodies split across many frames and land exactly on frame boundaries.
 */
class PublishBodiesIT {
  private static final int FRAME_MAX = 4096;
  /** Body bytes per body frame: frame-max less the 7-byte frame header and the frame-end octet. */
  private static final int PER_FRAME = FRAME_MAX - 8;
  private static final List<Integer> SIZES = List.of(0, 1, 2, PER_FRAME - 1, PER_FRAME, PER_FRAME + 1,
      FRAME_MAX, 2 * PER_FRAME, 2 * PER_FRAME + 1, 100_000, 1 << 20, 20 << 20);

  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Connection smallFrames() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setRequestedFrameMax(FRAME_MAX);
    Connection c = f.newConnection();
    assertThat(c.getFrameMax()).isEqualTo(FRAME_MAX);
    return c;
  }

  @Test
  void everySizeIsDeliveredByteIdenticalToBasicGet() throws Exception {
    try (Connection conn = smallFrames()) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare().getQueue();
      for (int size : SIZES) {
        byte[] body = bytes(size, size);
        ch.basicPublish("", q, null, body);
        GetResponse r = ch.basicGet(q, true);
        assertThat(r).as("size %d", size).isNotNull();
        assertThat(r.getBody()).as("size %d", size).hasSize(size).isEqualTo(body);
        assertThat(r.getProps().getBodySize()).isEqualTo(size);
      }
    }
  }

  @Test
  void everySizeIsDeliveredByteIdenticalToAConsumerInOrder() throws Exception {
    try (Connection conn = smallFrames()) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare().getQueue();
      for (int size : SIZES) {
        ch.basicPublish("", q, null, bytes(size, ~size));
      }
      BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(SIZES.size());
      ch.basicConsume(q, true, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
          received.add(body);
        }
      });
      for (int size : SIZES) {
        byte[] body = received.poll(30, TimeUnit.SECONDS);
        assertThat(body).as("size %d", size).isNotNull().isEqualTo(bytes(size, ~size));
      }
    }
  }

  /** The frames themselves, read raw: body frames are full up to frame-max and an empty body has none. */
  @Test
  void boundarySizesUseTheExpectedNumberOfBodyFrames() throws Exception {
    try (Connection conn = broker.connect(); RawAmqpClient raw = RawAmqpClient.connect(broker.port())) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare("pb-frames", false, false, false, null).getQueue();
      raw.handshake(0, FRAME_MAX, 0);
      raw.openChannel(1);
      int[][] cases = {{0, 0}, {1, 1}, {PER_FRAME, 1}, {PER_FRAME + 1, 2}, {3 * PER_FRAME, 3}};
      for (int[] c : cases) {
        byte[] body = bytes(c[0], 7);
        ch.basicPublish("", q, null, body);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
        raw.send(1, new BasicGet(q, true));
        raw.expect(BasicGetOk.class);
        Frame header = raw.readFrame();
        assertThat(header).isInstanceOf(HeaderFrame.class);
        assertThat(((HeaderFrame) header).bodySize()).isEqualTo(c[0]);
        ReferenceCountUtil.release(header);
        byte[] got = new byte[0];
        int frames = 0;
        while (got.length < c[0]) {
          Frame f = raw.readFrame();
          assertThat(f).isInstanceOf(BodyFrame.class);
          assertThat(raw.lastFrameSize()).isLessThanOrEqualTo(PER_FRAME);
          byte[] part = new byte[((BodyFrame) f).payload().readableBytes()];
          ((BodyFrame) f).payload().getBytes(0, part);
          ReferenceCountUtil.release(f);
          byte[] joined = new byte[got.length + part.length];
          System.arraycopy(got, 0, joined, 0, got.length);
          System.arraycopy(part, 0, joined, got.length, part.length);
          got = joined;
          frames++;
        }
        assertThat(frames).as("body frames for %d bytes", c[0]).isEqualTo(c[1]);
        assertThat(got).isEqualTo(body);
      }
    }
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
