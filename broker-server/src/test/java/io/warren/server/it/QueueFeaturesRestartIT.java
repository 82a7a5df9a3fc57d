package io.warren.server.it;

import static io.warren.server.it.DeathHeaders.header;
import static io.warren.server.it.DeathHeaders.xDeath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.server.config.ConfigLoader;
import io.warren.server.config.Policies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable queues keep their features across a restart: priority order, TTLs counted from the original arrival (not
 * from the restart), length limits over a recovered backlog, x-expires, features from a policy, and the delivery
 * count, which (as documented) starts again from 0.
 */
class QueueFeaturesRestartIT {
  private BrokerFixture broker;

  @BeforeEach
  void start() {
    broker = BrokerFixture.start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private interface ChannelWork {
    void run(Channel ch) throws Exception;
  }

  private void withChannel(ChannelWork work) throws Exception {
    try (Connection c = broker.connect()) {
      work.run(c.createChannel());
    }
  }

  private static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A durable queue dead-lettering to durable {@code dlq} through the default exchange. */
  private static void declareWithDlq(Channel ch, String q, Object... more) throws Exception {
    ch.queueDeclare("dlq", true, false, false, null);
    Map<String, Object> a = args(more);
    a.put("x-dead-letter-exchange", "");
    a.put("x-dead-letter-routing-key", "dlq");
    ch.queueDeclare(q, true, false, false, a);
  }

  private static AMQP.BasicProperties persistent() {
    return MessageProperties.PERSISTENT_BASIC;
  }

  /** Publishes persistent messages with these bodies and waits for their confirms (they are on disk). */
  private static void publish(Channel ch, String q, AMQP.BasicProperties props, String... bodies) throws Exception {
    ch.confirmSelect();
    for (String b : bodies) {
      ch.basicPublish("", q, props, b.getBytes(StandardCharsets.UTF_8));
    }
    ch.waitForConfirmsOrDie(5000);
  }

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static List<String> drain(Channel ch, String q) throws Exception {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(q, true)) != null) {
      out.add(text(r));
    }
    return out;
  }

  private static GetResponse getNoAck(Channel ch, String q) {
    return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .until(() -> ch.basicGet(q, false), r -> r != null);
  }

  /** The dead letters in {@code dlq}, once {@code n} are there and no more come for a while. */
  private static List<GetResponse> deadLetters(Channel ch, int n) throws Exception {
    await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("dlq") >= n);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> ch.messageCount("dlq") == n);
    List<GetResponse> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ch.basicGet("dlq", true));
    }
    return out;
  }

  private static void assertDeadLettered(GetResponse r, String queue, String reason) {
    List<Map<String, Object>> deaths = xDeath(r.getProps());
    assertThat(deaths).hasSize(1);
    assertThat(deaths.get(0)).containsEntry("queue", queue).containsEntry("reason", reason)
        .containsEntry("count", 1L);
  }

  /** Restarts the broker, staying stopped until {@code stoppedUntil} (epoch ms) has passed; returns when it is up. */
  private long restartStoppedUntil(long stoppedUntil) throws Exception {
    broker.restart(() -> await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> System.currentTimeMillis() >= stoppedUntil));
    return System.currentTimeMillis();
  }

  @Test
  void priorityOrderHoldsForRecoveredMessages() throws Exception {
    withChannel(ch -> {
      ch.queueDeclare("prio", true, false, false, Map.of("x-max-priority", 5));
      String[][] sent = {{"1", "a"}, {"5", "b"}, {"0", "c"}, {"5", "d"}, {"9", "e"}, {"1", "f"}, {null, "g"},
          {"3", "h"}, {"0", "i"}};
      ch.confirmSelect();
      for (String[] m : sent) {
        AMQP.BasicProperties.Builder p = persistent().builder();
        if (m[0] != null) {
          p.priority(Integer.parseInt(m[0]));
        }
        ch.basicPublish("", "prio", p.build(), m[1].getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(5000);
    });
    broker.restart();
    withChannel(ch -> {
      CollectingConsumer consumer = new CollectingConsumer(ch);
      ch.basicConsume("prio", true, consumer);
      consumer.awaitCount(9);
      // 9 counts as the maximum (5); no priority counts as 0; equal priorities stay in publish order
      assertThat(consumer.deliveries).extracting(d -> new String(d.body(), StandardCharsets.UTF_8))
          .containsExactly("b", "d", "e", "h", "a", "f", "c", "g", "i");
      // never delivered before the restart, so not marked redelivered
      assertThat(consumer.deliveries).noneMatch(CollectingConsumer.Delivery::redelivered);
    });
  }

  @Test
  void ttlsCountFromTheOriginalArrivalAndExpiredMessagesAreDeadLetteredOnce() throws Exception {
    long[] published = new long[1];
    withChannel(ch -> {
      declareWithDlq(ch, "ttl.later", "x-message-ttl", 2000);
      declareWithDlq(ch, "ttl.down", "x-message-ttl", 500);
      declareWithDlq(ch, "exp.later");
      declareWithDlq(ch, "exp.down");
      published[0] = System.currentTimeMillis();
      publish(ch, "ttl.later", persistent(), "ttl-later");
      publish(ch, "ttl.down", persistent(), "ttl-down");
      publish(ch, "exp.later", persistent().builder().expiration("2000").build(), "exp-later");
      publish(ch, "exp.down", persistent().builder().expiration("500").build(), "exp-down");
    });
    long t0 = published[0];
    // Stopped for a second: the "down" ones expire meanwhile, the "later" ones are half way.
    long restarted = restartStoppedUntil(t0 + 1000);
    withChannel(ch -> {
      // an expired message is never delivered, also right after the restart
      assertThat(ch.basicGet("ttl.down", true)).isNull();
      assertThat(ch.basicGet("exp.down", true)).isNull();
      if (System.currentTimeMillis() < t0 + 1800) {
        assertThat(ch.messageCount("ttl.later")).as("not expired yet").isEqualTo(1);
        assertThat(ch.messageCount("exp.later")).as("not expired yet").isEqualTo(1);
      }
      // Gone at arrival + 2000 ms (with slack), well before restart + 2000 ms, and with no consumer or get.
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> ch.messageCount("ttl.later") == 0 && ch.messageCount("exp.later") == 0);
      long gone = System.currentTimeMillis();
      assertThat(gone - t0).as("expired %d ms after publishing, %d ms after the restart", gone - t0, gone - restarted)
          .isLessThan(2000 + 700).isLessThan(restarted + 2000 - t0);
      Map<String, GetResponse> byQueue = new HashMap<>();
      for (GetResponse r : deadLetters(ch, 4)) {
        byQueue.put(header(r.getProps(), "x-first-death-queue"), r);
      }
      assertThat(byQueue).containsOnlyKeys("ttl.later", "ttl.down", "exp.later", "exp.down");
      byQueue.forEach((q, r) -> assertDeadLettered(r, q, "expired"));
      assertThat(text(byQueue.get("ttl.later"))).isEqualTo("ttl-later");
      assertThat(text(byQueue.get("exp.down"))).isEqualTo("exp-down");
      assertThat(xDeath(byQueue.get("exp.later").getProps()).get(0)).containsEntry("original-expiration", "2000");
      assertThat(byQueue.get("exp.later").getProps().getExpiration()).isNull();
    });
    // the expiries and dead letters are durable: nothing comes back, nothing is dead-lettered twice
    broker.restart();
    withChannel(ch -> {
      for (String q : List.of("ttl.later", "ttl.down", "exp.later", "exp.down", "dlq")) {
        assertThat(ch.messageCount(q)).as(q).isZero();
      }
    });
  }

  @Test
  void lengthLimitsApplyToTheRecoveredBacklog() throws Exception {
    withChannel(ch -> {
      declareWithDlq(ch, "len.head", "x-max-length", 3);
      declareWithDlq(ch, "len.bytes", "x-max-length-bytes", 30);
      ch.queueDeclare("len.reject", true, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
      declareWithDlq(ch, "len.reject-dlx", "x-max-length-bytes", 20, "x-overflow", "reject-publish-dlx");
      publish(ch, "len.head", persistent(), "h0", "h1", "h2");
      publish(ch, "len.bytes", persistent(), "b0-456789", "b1-456789", "b2-456789");
      publish(ch, "len.reject", persistent(), "r0", "r1");
      publish(ch, "len.reject-dlx", persistent(), "x0-456789", "x1-456789");
    });
    broker.restart();
    withChannel(ch -> {
      assertThat(ch.messageCount("len.head")).isEqualTo(3);
      assertThat(ch.messageCount("len.bytes")).isEqualTo(3);
      // drop-head: the oldest recovered ones go, dead-lettered as maxlen
      publish(ch, "len.head", persistent(), "h3", "h4");
      // 27 bytes recovered + 9 > 30: the oldest goes
      publish(ch, "len.bytes", persistent(), "b3-456789");
      List<GetResponse> dead = deadLetters(ch, 3);
      assertThat(dead).extracting(QueueFeaturesRestartIT::text).containsExactlyInAnyOrder("h0", "h1", "b0-456789");
      dead.forEach(r -> assertDeadLettered(r, text(r).startsWith("h") ? "len.head" : "len.bytes", "maxlen"));
      assertThat(drain(ch, "len.head")).containsExactly("h2", "h3", "h4");
      assertThat(drain(ch, "len.bytes")).containsExactly("b1-456789", "b2-456789", "b3-456789");
    });
    withChannel(ch -> {
      // reject-publish: a publish into the full recovered queue is nacked
      ch.confirmSelect();
      ch.basicPublish("", "len.reject", persistent(), "r2".getBytes(StandardCharsets.UTF_8));
      assertThat(ch.waitForConfirms(5000)).as("nacked").isFalse();
      ch.basicPublish("", "len.reject-dlx", persistent(), "x2-456789".getBytes(StandardCharsets.UTF_8));
      assertThat(ch.waitForConfirms(5000)).as("nacked").isFalse();
      GetResponse refused = deadLetters(ch, 1).get(0);
      assertThat(text(refused)).isEqualTo("x2-456789");
      assertDeadLettered(refused, "len.reject-dlx", "maxlen");
      assertThat(drain(ch, "len.reject")).containsExactly("r0", "r1");
      assertThat(drain(ch, "len.reject-dlx")).containsExactly("x0-456789", "x1-456789");
    });
  }

  @Test
  void anUnusedRecoveredQueueExpiresButOneWithAConsumerDoesNot() throws Exception {
    withChannel(ch -> {
      ch.queueDeclare("idle", true, false, false, Map.of("x-expires", 800));
      ch.queueDeclare("busy", true, false, false, Map.of("x-expires", 1500)); // time to attach the consumer
      publish(ch, "idle", persistent(), "m");
    });
    long beforeRestart = System.currentTimeMillis(); // the recovered queue is created after this
    broker.restart();
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.basicConsume("busy", true, new CollectingConsumer(ch));
      // Looked up without declaring: a (passive) declare would count as use.
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> broker.broker().vhost("/").queue("idle") == null);
      assertThat(System.currentTimeMillis() - beforeRestart).as("not before its expiry").isGreaterThanOrEqualTo(790);
      await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
          .until(() -> broker.broker().vhost("/").queue("busy") != null);
    }
    // the expiry's deletion is durable; the consumer-held queue expires once its consumer has gone
    broker.restart();
    assertThat(broker.broker().vhost("/").queue("idle")).isNull();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> broker.broker().vhost("/").queue("busy") == null);
  }

  @Test
  void featuresFromAPolicyApplyToARecoveredQueueAndItsMessages() throws Exception {
    Path file = Files.createTempFile("warren-policies", ".conf");
    Files.writeString(file, """
        warren.policies = [
          { name = p, pattern = "^pol\\\\.", apply-to = queues, definition { max-priority = 3, message-ttl = 1500,
            dead-letter-exchange = "", dead-letter-routing-key = "dlq" } }
        ]
        """);
    Policies policies = ConfigLoader.load(file, Map.of(), new Properties()).policies();
    Files.delete(file);
    broker.close();
    broker = BrokerFixture.start(cfg -> cfg.withPolicies(policies));
    long[] published = new long[1];
    withChannel(ch -> {
      ch.queueDeclare("dlq", true, false, false, null);
      ch.queueDeclare("pol.q", true, false, false, null);
      ch.confirmSelect();
      published[0] = System.currentTimeMillis();
      for (int p = 0; p <= 5; p++) {
        ch.basicPublish("", "pol.q", persistent().builder().priority(p).build(), new byte[] {(byte) p});
      }
      ch.waitForConfirmsOrDie(5000);
    });
    restartStoppedUntil(published[0] + 700);
    withChannel(ch -> {
      // max-priority 3: 4 and 5 count as 3, so they stay behind 3 in publish order
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        order.add(getNoAck(ch, "pol.q").getBody()[0] & 0xff);
      }
      assertThat(order).containsExactly(3, 4, 5);
      // the others expire 1500 ms after publishing (not after the restart), dead-lettered by the policy
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> ch.messageCount("pol.q") == 0);
      // the restart ended 700+ ms after publishing: counted from it, they would stay until 2200+ ms
      assertThat(System.currentTimeMillis() - published[0]).isLessThan(1500 + 600);
      // (their order depends on which millisecond each arrived in)
      assertThat(deadLetters(ch, 3)).extracting(r -> r.getBody()[0] & 0xff).containsExactlyInAnyOrder(0, 1, 2);
    });
  }

  @Test
  void theDeliveryCountSurvivesARestart() throws Exception {
    withChannel(ch -> {
      declareWithDlq(ch, "limited", "x-delivery-limit", 2);
      publish(ch, "limited", persistent(), "poison");
      ch.basicNack(getNoAck(ch, "limited").getEnvelope().getDeliveryTag(), false, true);
      GetResponse second = getNoAck(ch, "limited");
      assertThat(second.getProps().getHeaders()).containsEntry("x-delivery-count", 1L);
      ch.basicNack(second.getEnvelope().getDeliveryTag(), false, true);
      // two returns so far: one more would pass the limit
      assertThat(ch.messageCount("limited")).isEqualTo(1);
    });
    broker.restart();
    withChannel(ch -> {
      GetResponse first = getNoAck(ch, "limited");
      assertThat(first.getEnvelope().isRedeliver()).isTrue();
      // the returns are in the log (DELIVERY records): the count goes on from 2, and the next return is one too many
      assertThat(first.getProps().getHeaders()).containsEntry("x-delivery-count", 2L);
      ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
      GetResponse dead = deadLetters(ch, 1).get(0);
      assertThat(text(dead)).isEqualTo("poison");
      assertDeadLettered(dead, "limited", "delivery_limit");
      assertThat(ch.messageCount("limited")).isZero();
    });
  }
}
