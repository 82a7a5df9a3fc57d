package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a durable queue knows of its messages' deliveries survives kill -9: a message that came back unacked keeps its
 * x-delivery-count (and so its place against x-delivery-limit), one that was delivered comes back redelivered, and one
 * that was never delivered is not marked redelivered (RabbitMQ's classic queues mark all of them redelivered after a
 * crash; docs/storage.md has the comparison).
 */
class DeliveryStateCrashIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path logDir;
  private BrokerProcess broker;

  @BeforeEach
  void start() throws Exception {
    broker = new BrokerProcess(dataDir, logDir);
    broker.start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static void publish(Channel ch, String body) throws Exception {
    ch.basicPublish("", "q", MessageProperties.PERSISTENT_TEXT_PLAIN, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String body(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static Object count(GetResponse r) {
    Map<String, Object> headers = r.getProps().getHeaders();
    return headers == null ? null : headers.get("x-delivery-count");
  }

  @Test
  void deliveryCountsAndRedeliveredFlagsSurviveACrash() throws Exception {
    Connection before = broker.connect();
    try {
      Channel ch = before.createChannel();
      ch.queueDeclare("q", true, false, false, Map.of("x-delivery-limit", 5));
      ch.confirmSelect();
      publish(ch, "returned twice");
      publish(ch, "delivered");
      publish(ch, "never delivered");
      ch.waitForConfirmsOrDie(10_000);
      Channel consumer = before.createChannel();
      for (int i = 0; i < 2; i++) {
        GetResponse r = consumer.basicGet("q", false);
        assertThat(body(r)).isEqualTo("returned twice");
        consumer.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
      }
      GetResponse again = consumer.basicGet("q", false); // left unacked, like the next one, when the broker dies
      assertThat(body(again)).isEqualTo("returned twice");
      assertThat(count(again)).isEqualTo(2L);
      assertThat(body(consumer.basicGet("q", false))).isEqualTo("delivered");
      // the fsync of a later confirmed publish covers the delivery records written before it
      publish(ch, "after");
      ch.waitForConfirmsOrDie(10_000);
      broker.kill();
    } finally {
      before.abort();
    }
    broker.start();
    try (Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      GetResponse first = ch.basicGet("q", true);
      assertThat(body(first)).isEqualTo("returned twice");
      assertThat(first.getEnvelope().isRedeliver()).isTrue();
      assertThat(count(first)).isEqualTo(2L);
      GetResponse delivered = ch.basicGet("q", true);
      assertThat(body(delivered)).isEqualTo("delivered");
      assertThat(delivered.getEnvelope().isRedeliver()).isTrue();
      assertThat(count(delivered)).isNull();
      GetResponse second = ch.basicGet("q", true);
      assertThat(body(second)).isEqualTo("never delivered");
      assertThat(second.getEnvelope().isRedeliver()).isFalse();
      assertThat(count(second)).isNull();
      GetResponse third = ch.basicGet("q", true);
      assertThat(body(third)).isEqualTo("after");
      assertThat(third.getEnvelope().isRedeliver()).isFalse();
      assertThat(ch.basicGet("q", true)).isNull();
    }
  }
}
