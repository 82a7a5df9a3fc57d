package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delayed retries ({@code x-retry-*} queue arguments): a message nacked with requeue=true comes back after the
 * policy's growing delays with {@code x-retry-count} and {@code x-retry-history}, is dead-lettered (rejected) once the
 * attempts are used up, and keeps waiting across a restart.
 */
class RetryIT {
  /** How late a retry may come back in these tests (the scheduler's target is 50 ms). */
  private static final long LATE_MS = 300;

  private final BrokerFixture broker = BrokerFixture.start();

  @AfterEach
  void stop() {
    broker.close();
  }

  record Arrival(long at, Map<String, Object> headers) {}

  @Test
  void nackedMessagesComeBackAfterGrowingDelaysThenAreDeadLettered() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("dead", true, false, false, null);
      ch.queueDeclare("work", true, false, false, Map.of("x-retry-max", 3, "x-retry-initial-delay", 200,
          "x-retry-multiplier", 2, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
      List<Arrival> arrivals = new CopyOnWriteArrayList<>();
      ch.basicConsume("work", false, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
            throws IOException {
          arrivals.add(new Arrival(System.currentTimeMillis(),
              props.getHeaders() == null ? Map.of() : props.getHeaders()));
          getChannel().basicNack(env.getDeliveryTag(), false, true);
        }
      });
      ch.basicPublish("", "work", MessageProperties.PERSISTENT_BASIC, "job".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount("dead") == 1);
      assertThat(arrivals).hasSize(4);
      long[] delays = {200, 400, 800};
      for (int i = 0; i < 3; i++) {
        long gap = arrivals.get(i + 1).at() - arrivals.get(i).at();
        assertThat(gap).as("wait before retry %d", i + 1).isGreaterThanOrEqualTo(delays[i])
            .isLessThan(delays[i] + LATE_MS);
        assertThat(arrivals.get(i + 1).headers()).containsEntry("x-retry-count", (long) (i + 1));
      }
      assertThat(arrivals.get(0).headers()).doesNotContainKey("x-retry-count");

      GetResponse dead = ch.basicGet("dead", true);
      assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("job");
      Map<String, Object> h = dead.getProps().getHeaders();
      assertThat(h).containsEntry("x-retry-count", 3L);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> history = (List<Map<String, Object>>) h.get("x-retry-history");
      assertThat(history).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(history.get(i)).containsEntry("attempt", (long) (i + 1)).containsEntry("delay-ms", delays[i])
            .containsKey("time");
        assertThat(history.get(i).get("time")).isInstanceOf(java.util.Date.class);
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> deaths = (List<Map<String, Object>>) h.get("x-death");
      assertThat(deaths).isNotEmpty();
      assertThat(deaths.get(0).get("reason").toString()).isEqualTo("rejected");
      assertThat(deaths.get(0).get("queue").toString()).isEqualTo("work");
      assertThat(broker.broker().schedule().size()).isZero();
    }
  }

  @Test
  void withoutADeadLetterExchangeTheLastRejectDropsTheMessage() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("once", false, false, false, Map.of("x-retry-max", 1, "x-retry-initial-delay", 50));
      ch.basicPublish("", "once", null, "m".getBytes(StandardCharsets.UTF_8));
      GetResponse first = ch.basicGet("once", false);
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      assertThat(ch.messageCount("once")).isZero(); // waiting in the schedule, not in the queue
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("once") == 1);
      GetResponse second = ch.basicGet("once", false);
      assertThat(second.getProps().getHeaders()).containsEntry("x-retry-count", 1L);
      ch.basicReject(second.getEnvelope().getDeliveryTag(), true);
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
          .until(() -> ch.messageCount("once") == 0 && broker.broker().schedule().size() == 0);
    }
  }

  @Test
  void aWaitingRetrySurvivesARestart() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("durable-retry", true, false, false, Map.of("x-retry-max", 2, "x-retry-initial-delay", 1500));
      ch.confirmSelect();
      ch.basicPublish("", "durable-retry", MessageProperties.PERSISTENT_BASIC, "w".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
      GetResponse got = ch.basicGet("durable-retry", false);
      ch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
      ch.queueDeclarePassive("durable-retry"); // a round trip: the nack was handled
    }
    long nacked = System.currentTimeMillis();
    broker.restart();
    assertThat(broker.broker().schedule().size()).isEqualTo(1);
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      assertThat(ch.messageCount("durable-retry")).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("durable-retry") == 1);
      assertThat(System.currentTimeMillis() - nacked).isGreaterThanOrEqualTo(1500);
      GetResponse back = ch.basicGet("durable-retry", true);
      assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("w");
      assertThat(back.getProps().getHeaders()).containsEntry("x-retry-count", 1L);
    }
    broker.restart(); // delivered once: neither the original nor the retry comes back
    try (Connection c = broker.connect()) {
      assertThat(c.createChannel().messageCount("durable-retry")).isZero();
    }
  }
}
