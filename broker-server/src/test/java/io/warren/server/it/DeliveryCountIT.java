package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * x-delivery-count on redeliveries from queues with a delivery limit (as RabbitMQ's quorum queues; its classic queues
 * never add it), and x-delivery-limit dropping or dead-lettering a message that keeps coming back.
 */
class DeliveryCountIT extends SharedBroker {
  private static GetResponse get(Channel ch, String q) {
    return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .until(() -> ch.basicGet(q, false), r -> r != null);
  }

  private static Object count(GetResponse r) {
    return r.getProps().getHeaders() == null ? null : r.getProps().getHeaders().get("x-delivery-count");
  }

  @Test
  void redeliveriesCarryTheNumberOfReturns() throws Exception {
    try (Channel ch = conn.createChannel()) {
      String q = ch.queueDeclare("", false, true, true, Map.of("x-delivery-limit", 100)).getQueue();
      ch.basicPublish("", q, new com.rabbitmq.client.AMQP.BasicProperties.Builder()
          .headers(Map.of("app", "kept")).build(), new byte[] {1});
      GetResponse first = get(ch, q);
      assertThat(count(first)).isNull();
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      GetResponse second = get(ch, q);
      assertThat(second.getEnvelope().isRedeliver()).isTrue();
      assertThat(count(second)).isEqualTo(1L);
      assertThat(second.getProps().getHeaders().get("app").toString()).isEqualTo("kept");
      ch.basicReject(second.getEnvelope().getDeliveryTag(), true);
      GetResponse third = get(ch, q);
      assertThat(count(third)).isEqualTo(2L);
      ch.basicAck(third.getEnvelope().getDeliveryTag(), false);
    }
  }

  @Test
  void aQueueWithoutADeliveryLimitAddsNoCountAsRabbitMqClassicQueues() throws Exception {
    try (Channel ch = conn.createChannel()) {
      String q = ch.queueDeclare("", false, true, true, null).getQueue();
      ch.basicPublish("", q, null, new byte[] {1});
      ch.basicNack(get(ch, q).getEnvelope().getDeliveryTag(), false, true);
      GetResponse again = get(ch, q);
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      assertThat(count(again)).isNull();
      ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
    }
  }

  @Test
  void pastTheLimitAMessageIsDeadLettered() throws Exception {
    try (Channel ch = conn.createChannel()) {
      String dead = ch.queueDeclare("", false, true, true, null).getQueue();
      String q = ch.queueDeclare("", false, true, true, Map.of("x-delivery-limit", 1,
          "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dead)).getQueue();
      ch.basicPublish("", q, null, new byte[] {7});
      ch.basicNack(get(ch, q).getEnvelope().getDeliveryTag(), false, true);
      GetResponse again = get(ch, q);
      assertThat(count(again)).isEqualTo(1L);
      ch.basicNack(again.getEnvelope().getDeliveryTag(), false, true);
      GetResponse deadLettered = get(ch, dead);
      assertThat(deadLettered.getBody()).containsExactly(7);
      assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
    }
  }

  @Test
  void pastTheLimitWithoutADeadLetterExchangeItIsDropped() throws Exception {
    try (Channel ch = conn.createChannel()) {
      String q = ch.queueDeclare("", false, true, true, Map.of("x-delivery-limit", 0)).getQueue();
      ch.basicPublish("", q, null, new byte[] {7});
      ch.basicReject(get(ch, q).getEnvelope().getDeliveryTag(), true);
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.queueDeclarePassive(q).getMessageCount() == 0);
      assertThat(ch.basicGet(q, true)).isNull();
    }
  }
}
