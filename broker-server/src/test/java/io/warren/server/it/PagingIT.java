package io.warren.server.it;

import io.warren.store.Residency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.warren.store.MessageQueue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A durable queue deeper than its in-memory allowance keeps only log positions for the rest and reads bodies back
 * from the log on delivery: everything arrives intact and in order, before and after a restart.
 */
class PagingIT {
  private static final int MESSAGES = 4000;
  private static final int SIZE = 2048;

  private static byte[] body(int i) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    while (b.hasRemaining()) {
      b.putInt(i);
    }
    return b.array();
  }

  private static MessageQueue queue(BrokerFixture broker) {
    return broker.broker().vhost("/").queue("deep").queue();
  }

  @Test
  void deepQueueStaysSmallInMemoryAndDrainsIntactAcrossARestart() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withResidency(Residency.DEFAULT))) {
      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        ch.queueDeclare("deep", true, false, false, null);
        for (int i = 0; i < MESSAGES; i++) {
          AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder()
              .headers(Map.of("i", i)).build();
          ch.basicPublish("", "deep", props, body(i));
        }
        ch.waitForConfirmsOrDie(30_000);
        long[] stats = queue(broker).pagingStats().join();
        assertThat(stats[0]).as("paged-out messages").isGreaterThanOrEqualTo(MESSAGES - 1024);
        assertThat(stats[1]).as("body bytes in memory").isLessThanOrEqualTo(4L << 20);

        // half now, with a consumer acking as it goes
        assertThat(consume(ch, MESSAGES / 2)).containsExactlyElementsOf(range(0, MESSAGES / 2));
      }
      broker.restart();
      assertThat(queue(broker).pagingStats().join()[0]).isEqualTo(MESSAGES / 2);
      try (Connection conn = broker.connect()) {
        Channel ch = conn.createChannel();
        assertThat(consume(ch, MESSAGES / 2)).containsExactlyElementsOf(range(MESSAGES / 2, MESSAGES));
        assertThat(ch.queueDeclarePassive("deep").getMessageCount()).isZero();
      }
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
  private static List<Integer> consume(Channel ch, int n) throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<String> bad = new CopyOnWriteArrayList<>();
    ch.basicQos(100);
    String tag = ch.basicConsume("deep", false, new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
          byte[] body) throws java.io.IOException {
        int i = (Integer) properties.getHeaders().get("i");
        if (!java.util.Arrays.equals(body, body(i)) || properties.getDeliveryMode() != 2) {
          bad.add("message " + i);
        }
        if (seen.size() < n) {
          seen.add(i);
          getChannel().basicAck(envelope.getDeliveryTag(), false);
        } else {
          getChannel().basicNack(envelope.getDeliveryTag(), false, true);
        }
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= n);
    ch.basicCancel(tag);
    assertThat(bad).isEmpty();
    return new ArrayList<>(seen);
  }
}
