package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Round-robin between competing consumers, and FIFO order of one queue under load. */
class DeliveryOrderIT {
  private static BrokerFixture broker;
  private Connection conn;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void open() {
    conn = broker.connect();
  }

  @AfterEach
  void close() throws Exception {
    conn.close();
  }

  private static byte[] intBody(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  @Test
  void competingConsumersTakeTurns() throws Exception {
    Channel ch = conn.createChannel();
    ch.queueDeclare("o-round-robin", false, false, false, null);
    List<CollectingConsumer> consumers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Channel c = conn.createChannel();
      CollectingConsumer consumer = new CollectingConsumer(c);
      c.basicConsume("o-round-robin", i == 1, consumer); // auto-ack or not makes no difference to the turns
      consumers.add(consumer);
    }
    for (int i = 0; i < 30; i++) {
      ch.basicPublish("", "o-round-robin", null, intBody(i));
    }
    for (int k = 0; k < 3; k++) {
      int first = k;
      consumers.get(k).awaitCount(10);
      assertThat(consumers.get(k).deliveries).extracting(CollectingConsumer.Delivery::asInt)
          .containsExactlyElementsOf(IntStream.range(0, 10).map(i -> first + 3 * i).boxed().toList());
    }
  }

  @Test
  void aCancelledConsumerLeavesTheTurnsToTheOthers() throws Exception {
    Channel ch = conn.createChannel();
    ch.queueDeclare("o-rr-cancel", false, false, false, null);
    CollectingConsumer a = new CollectingConsumer(ch);
    CollectingConsumer b = new CollectingConsumer(ch);
    ch.basicConsume("o-rr-cancel", true, a);
    String bTag = ch.basicConsume("o-rr-cancel", true, b);
    for (int i = 0; i < 4; i++) {
      ch.basicPublish("", "o-rr-cancel", null, intBody(i));
    }
    a.awaitCount(2);
    b.awaitCount(2);
    ch.basicCancel(bTag);
    for (int i = 4; i < 8; i++) {
      ch.basicPublish("", "o-rr-cancel", null, intBody(i));
    }
    a.awaitCount(6);
    assertThat(a.deliveries).extracting(CollectingConsumer.Delivery::asInt).containsExactly(0, 2, 4, 5, 6, 7);
  }

  /** 10k messages streamed through one consumer that acks as it goes: every one, once, in publish order. */
  @Test
  void oneQueueKeepsFifoOrderUnderLoad() throws Exception {
    int n = 10_000;
    Channel pub = conn.createChannel();
    pub.queueDeclare("o-fifo", false, false, false, null);
    Channel sub = conn.createChannel();
    sub.basicQos(100);
    List<Integer> received = new ArrayList<>(n);
    List<Boolean> redelivered = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    sub.basicConsume("o-fifo", false, new DefaultConsumer(sub) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) throws IOException {
        received.add(ByteBuffer.wrap(body).getInt());
        if (env.isRedeliver()) {
          redelivered.add(true);
        }
        if (env.getDeliveryTag() % 10 == 0 || received.size() == n) {
          sub.basicAck(env.getDeliveryTag(), true);
        }
        if (received.size() == n) {
          done.countDown();
        }
      }
    });
    for (int i = 0; i < n; i++) {
      pub.basicPublish("", "o-fifo", null, intBody(i));
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("received %d of %d", received.size(), n).isTrue();
    assertThat(received).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
    assertThat(redelivered).isEmpty();
    assertThat(pub.queueDeclarePassive("o-fifo").getMessageCount()).isZero();
  }

  /** Two publishers into one queue: each one's messages stay in its own order. */
  @Test
  void eachPublishersOrderIsKeptWhenTwoInterleave() throws Exception {
    int perPublisher = 5_000;
    Channel setup = conn.createChannel();
    setup.queueDeclare("o-two-publishers", false, false, false, null);
    Thread[] publishers = new Thread[2];
    try (Connection other = broker.connect()) {
      Channel[] channels = {conn.createChannel(), other.createChannel()};
      for (int p = 0; p < 2; p++) {
        int id = p;
        publishers[p] = new Thread(() -> {
          try {
            for (int i = 0; i < perPublisher; i++) {
              channels[id].basicPublish("", "o-two-publishers", null, intBody(id * 1_000_000 + i));
            }
            channels[id].queueDeclarePassive("o-two-publishers"); // a round trip: all of them are in
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }, "publisher-" + p);
        publishers[p].start();
      }
      for (Thread t : publishers) {
        t.join(60_000);
      }
    }
    CollectingConsumer c = new CollectingConsumer(setup);
    setup.basicConsume("o-two-publishers", true, c);
    c.awaitCount(2 * perPublisher);
    List<Integer> all = c.deliveries.stream().map(CollectingConsumer.Delivery::asInt).toList();
    for (int p = 0; p < 2; p++) {
      int id = p;
      assertThat(all.stream().filter(v -> v / 1_000_000 == id).map(v -> v % 1_000_000).toList())
          .containsExactlyElementsOf(IntStream.range(0, perPublisher).boxed().toList());
    }
  }
}
