package io.warren.server.it;

import io.warren.store.Residency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Transient messages past a queue's in-memory allowance are paged out to the transient log (data-dir/transient)
 * and read back on delivery: the queue's memory stays bounded, everything drains intact and in order, and a
 * restart leaves none of them behind.
 */
class TransientPagingIT {
  private static final int MESSAGES = 6000;
  private static final int SIZE = 2048;
  private static final AMQP.BasicProperties TRANSIENT = new AMQP.BasicProperties.Builder().deliveryMode(1).build();

  private static byte[] body(int i) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    while (b.hasRemaining()) {
      b.putInt(i);
    }
    return b.array();
  }

  private static void publish(Channel ch, String queue, int n) throws Exception {
    ch.confirmSelect();
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", queue, TRANSIENT.builder().headers(Map.of("i", i)).build(), body(i));
    }
    ch.waitForConfirmsOrDie(30_000);
  }

  private static long[] pagingStats(BrokerFixture broker, String queue) {
    return broker.broker().vhost("/").queue(queue).queue().pagingStats().join();
  }

  @Test
  void nonDurableQueueBacklogPagesOutAndDrainsIntactInOrder() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withResidency(Residency.DEFAULT)); Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      ch.queueDeclare("tq", false, false, false, null);
      publish(ch, "tq", MESSAGES);
      long[] stats = pagingStats(broker, "tq");
      assertThat(stats[0]).as("paged-out messages").isGreaterThanOrEqualTo(MESSAGES - 1024);
      assertThat(stats[1]).as("body bytes in memory").isLessThanOrEqualTo(4L << 20);
      assertThat(ch.queueDeclarePassive("tq").getMessageCount()).isEqualTo(MESSAGES);
      assertThat(logBytes(broker.dataDir().resolve("transient"))).as("transient log in use")
          .isGreaterThan((long) (MESSAGES - 1024) * SIZE);

      assertThat(consume(ch, "tq", MESSAGES)).containsExactlyElementsOf(range(0, MESSAGES));
      assertThat(ch.queueDeclarePassive("tq").getMessageCount()).isZero();
    }
  }

  @Test
  void aMessageFannedOutToBackloggedQueuesIsSpilledOnce() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withResidency(Residency.DEFAULT));
        Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      ch.exchangeDeclare("fan", "fanout");
      for (int q = 0; q < 4; q++) {
        ch.queueDeclare("fq" + q, false, false, false, null);
        ch.queueBind("fq" + q, "fan", "");
      }
      ch.confirmSelect();
      for (int i = 0; i < MESSAGES; i++) {
        ch.basicPublish("fan", "", TRANSIENT.builder().headers(Map.of("i", i)).build(), body(i));
      }
      ch.waitForConfirmsOrDie(30_000);
      for (int q = 0; q < 4; q++) {
        assertThat(pagingStats(broker, "fq" + q)[0]).as("paged out of fq" + q)
            .isGreaterThanOrEqualTo(MESSAGES - 1024);
      }
      // each paged-out message once (plus record headers), not once per queue
      long spilled = logBytes(broker.dataDir().resolve("transient"));
      assertThat(spilled).isGreaterThan((long) (MESSAGES - 1024) * SIZE)
          .isLessThan((long) MESSAGES * (SIZE + 256));
      for (int q = 0; q < 4; q++) {
        assertThat(consume(ch, "fq" + q, MESSAGES)).containsExactlyElementsOf(range(0, MESSAGES));
      }
    }
  }

  @Test
  void restartLeavesNoTransientMessagesAndAnEmptyTransientLog() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withResidency(Residency.DEFAULT))) {
      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        ch.queueDeclare("dq", true, false, false, null); // durable queue, transient messages
        ch.queueDeclare("tq", false, false, false, null);
        publish(ch, "dq", 3000);
        publish(ch, "tq", 3000);
        assertThat(pagingStats(broker, "dq")[0]).isEqualTo(3000 - 1024);
        assertThat(pagingStats(broker, "tq")[0]).isEqualTo(3000 - 1024);
      }
      Path transientDir = broker.dataDir().resolve("transient");
      broker.restart(() -> assertThat(logBytes(transientDir)).as("wiped at shutdown").isZero());
      assertThat(logBytes(transientDir)).as("empty after restart").isZero();
      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        assertThat(ch.queueDeclarePassive("dq").getMessageCount()).isZero();
        assertThat(broker.broker().vhost("/").queue("tq")).as("non-durable queue gone").isNull();
        // the transient log works again after the restart
        publish(ch, "dq", 2000);
        assertThat(pagingStats(broker, "dq")[0]).isEqualTo(2000 - 1024);
        assertThat(consume(ch, "dq", 2000)).containsExactlyElementsOf(range(0, 2000));
      }
    }
  }

  private static long logBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  /** Consumes {@code n} messages (prefetch 100, acked one by one), checking each body against its header. */
  private static List<Integer> consume(Channel ch, String queue, int n) throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<String> bad = new CopyOnWriteArrayList<>();
    ch.basicQos(100);
    String tag = ch.basicConsume(queue, false, new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
          byte[] body) throws IOException {
        int i = (Integer) properties.getHeaders().get("i");
        if (!Arrays.equals(body, body(i)) || properties.getDeliveryMode() != 1 || envelope.isRedeliver()) {
          bad.add("message " + i);
        }
        seen.add(i);
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= n);
    ch.basicCancel(tag);
    assertThat(bad).isEmpty();
    return new ArrayList<>(seen);
  }
}
