package io.warren.server.it;

import static io.warren.server.it.DeathHeaders.count;
import static io.warren.server.it.DeathHeaders.header;
import static io.warren.server.it.DeathHeaders.xDeath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dead-lettering as RabbitMQ 3.13 classic queues do it: every reason (rejected, expired, maxlen, delivery_limit), the
 * x-death history and x-first/last-death headers, dead-letter routing key vs. the message's own keys and CC, cycles,
 * a missing DLX, durability across a restart, and no buffer leak.
 */
class DeadLetterIT extends SharedBroker {
  /** A source queue dead-lettering to the default exchange with routing key {@code dlq}, and that DLQ. */
  private static void sourceAndDlq(Channel ch, String source, String dlq, Object... more) throws Exception {
    ch.queueDeclare(dlq, false, false, false, null);
    Map<String, Object> a = Args.of(more);
    a.put("x-dead-letter-exchange", "");
    a.put("x-dead-letter-routing-key", dlq);
    ch.queueDeclare(source, false, false, false, a);
  }

  private static AMQP.BasicProperties props(String messageId) {
    return new AMQP.BasicProperties.Builder().messageId(messageId).contentType("text/plain").build();
  }

  private static byte[] body(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static GetResponse getWithoutAck(Channel ch, String q) {
    return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> ch.basicGet(q, false), r -> r != null);
  }

  private static void assertStaysEmpty(Channel ch, String q) {
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
        .until(() -> ch.messageCount(q) == 0);
  }

  @Test
  void rejectAndNackWithoutRequeueDeadLetterWithTheFullHistory() throws Exception {
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("dl.rej.in", "direct");
    ch.exchangeDeclare("dl.rej.dlx", "direct");
    ch.queueDeclare("dl.rej.dlq", false, false, false, null);
    ch.queueBind("dl.rej.dlq", "dl.rej.dlx", "k1");
    ch.queueDeclare("dl.rej.src", false, false, false, Args.of("x-dead-letter-exchange", "dl.rej.dlx"));
    ch.queueBind("dl.rej.src", "dl.rej.in", "k1");
    AMQP.BasicProperties p = props("m1").builder().deliveryMode(2).priority(3).correlationId("c1")
        .headers(Map.of("app", "x")).build();
    ch.basicPublish("dl.rej.in", "k1", p, body("one"));
    ch.basicPublish("dl.rej.in", "k1", props("m2"), body("two"));
    long before = System.currentTimeMillis() / 1000;
    ch.basicReject(getWithoutAck(ch, "dl.rej.src").getEnvelope().getDeliveryTag(), false);
    ch.basicNack(getWithoutAck(ch, "dl.rej.src").getEnvelope().getDeliveryTag(), false, false);

    GetResponse first = BasicGets.one(ch, "dl.rej.dlq");
    GetResponse second = BasicGets.one(ch, "dl.rej.dlq");
    assertThat(text(first)).isEqualTo("one");
    assertThat(text(second)).isEqualTo("two");
    assertThat(first.getEnvelope().getExchange()).isEqualTo("dl.rej.dlx");
    assertThat(first.getEnvelope().getRoutingKey()).isEqualTo("k1");
    AMQP.BasicProperties dp = first.getProps();
    assertThat(dp.getMessageId()).isEqualTo("m1");
    assertThat(dp.getDeliveryMode()).isEqualTo(2);
    assertThat(dp.getPriority()).isEqualTo(3);
    assertThat(dp.getCorrelationId()).isEqualTo("c1");
    assertThat(dp.getContentType()).isEqualTo("text/plain");
    assertThat(header(dp, "app")).isEqualTo("x");
    List<Map<String, Object>> deaths = xDeath(dp);
    assertThat(deaths).hasSize(1);
    Map<String, Object> d = deaths.get(0);
    assertThat(d).containsOnlyKeys("count", "reason", "queue", "time", "exchange", "routing-keys");
    assertThat(d).containsEntry("count", 1L).containsEntry("reason", "rejected").containsEntry("queue", "dl.rej.src")
        .containsEntry("exchange", "dl.rej.in").containsEntry("routing-keys", List.of("k1"));
    assertThat(((Date) d.get("time")).getTime() / 1000).isBetween(before - 1, System.currentTimeMillis() / 1000 + 1);
    assertThat(dp.getHeaders().get("x-first-death-queue")).isInstanceOf(LongString.class);
    assertThat(header(dp, "x-first-death-queue")).isEqualTo("dl.rej.src");
    assertThat(header(dp, "x-first-death-reason")).isEqualTo("rejected");
    assertThat(header(dp, "x-first-death-exchange")).isEqualTo("dl.rej.in");
    assertThat(header(dp, "x-last-death-queue")).isEqualTo("dl.rej.src");
    assertThat(header(dp, "x-last-death-reason")).isEqualTo("rejected");
    assertThat(header(dp, "x-last-death-exchange")).isEqualTo("dl.rej.in");
    assertThat(xDeath(second.getProps()).get(0)).containsEntry("reason", "rejected");
    assertThat(ch.messageCount("dl.rej.src")).isZero();
    ch.close();
  }

  @Test
  void queueTtlExpiryDeadLettersWithReasonExpired() throws Exception {
    Channel ch = conn.createChannel();
    sourceAndDlq(ch, "dl.ttl.src", "dl.ttl.dlq", "x-message-ttl", 50);
    ch.basicPublish("", "dl.ttl.src", props("t1"), body("old"));
    GetResponse r = BasicGets.one(ch, "dl.ttl.dlq");
    assertThat(text(r)).isEqualTo("old");
    Map<String, Object> d = xDeath(r.getProps()).get(0);
    assertThat(d).containsEntry("reason", "expired").containsEntry("queue", "dl.ttl.src").containsEntry("count", 1L)
        .containsEntry("exchange", "").containsEntry("routing-keys", List.of("dl.ttl.src"))
        .doesNotContainKey("original-expiration");
    assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("dl.ttl.dlq");
    assertThat(ch.messageCount("dl.ttl.src")).isZero();
    ch.close();
  }

  @Test
  void perMessageExpirationBecomesOriginalExpiration() throws Exception {
    Channel ch = conn.createChannel();
    sourceAndDlq(ch, "dl.exp.src", "dl.exp.dlq");
    ch.basicPublish("", "dl.exp.src", props("e1").builder().expiration("40").build(), body("brief"));
    GetResponse r = BasicGets.one(ch, "dl.exp.dlq");
    assertThat(r.getProps().getExpiration()).isNull();
    assertThat(xDeath(r.getProps()).get(0)).containsEntry("reason", "expired")
        .containsEntry("original-expiration", "40");
    ch.close();
  }

  @Test
  void dropHeadOverflowDeadLettersTheOldestWithReasonMaxlen() throws Exception {
    Channel ch = conn.createChannel();
    sourceAndDlq(ch, "dl.max.src", "dl.max.dlq", "x-max-length", 2);
    for (String s : List.of("a", "b", "c")) {
      ch.basicPublish("", "dl.max.src", props(s), body(s));
    }
    GetResponse r = BasicGets.one(ch, "dl.max.dlq");
    assertThat(text(r)).isEqualTo("a");
    assertThat(xDeath(r.getProps()).get(0)).containsEntry("reason", "maxlen").containsEntry("queue", "dl.max.src");
    assertThat(text(BasicGets.one(ch, "dl.max.src"))).isEqualTo("b");
    assertThat(text(BasicGets.one(ch, "dl.max.src"))).isEqualTo("c");
    ch.close();
  }

  @Test
  void rejectPublishDlxRefusesAndDeadLettersTheNewMessage() throws Exception {
    Channel ch = conn.createChannel();
    sourceAndDlq(ch, "dl.rpd.src", "dl.rpd.dlq", "x-max-length", 1, "x-overflow", "reject-publish-dlx");
    ch.confirmSelect();
    ch.basicPublish("", "dl.rpd.src", props("a"), body("a"));
    ch.basicPublish("", "dl.rpd.src", props("b"), body("b"));
    assertThat(ch.waitForConfirms(5000)).as("the refused publish is nacked").isFalse();
    GetResponse r = BasicGets.one(ch, "dl.rpd.dlq");
    assertThat(text(r)).isEqualTo("b");
    assertThat(xDeath(r.getProps()).get(0)).containsEntry("reason", "maxlen").containsEntry("queue", "dl.rpd.src");
    assertThat(ch.messageCount("dl.rpd.src")).isEqualTo(1);
    assertThat(text(BasicGets.one(ch, "dl.rpd.src"))).isEqualTo("a");
    ch.close();
  }

  @Test
  void passingTheDeliveryLimitDeadLettersWithReasonDeliveryLimit() throws Exception {
    Channel ch = conn.createChannel();
    sourceAndDlq(ch, "dl.lim.src", "dl.lim.dlq", "x-delivery-limit", 1);
    ch.basicPublish("", "dl.lim.src", props("l"), body("again"));
    ch.basicNack(getWithoutAck(ch, "dl.lim.src").getEnvelope().getDeliveryTag(), false, true); // return 1: allowed
    GetResponse redelivered = getWithoutAck(ch, "dl.lim.src");
    assertThat(redelivered.getEnvelope().isRedeliver()).isTrue();
    ch.basicNack(redelivered.getEnvelope().getDeliveryTag(), false, true); // return 2: past the limit
    GetResponse r = BasicGets.one(ch, "dl.lim.dlq");
    assertThat(xDeath(r.getProps()).get(0)).containsEntry("reason", "delivery_limit")
        .containsEntry("queue", "dl.lim.src");
    assertThat(ch.messageCount("dl.lim.src")).isZero();
    ch.close();
  }

  @Test
  void withoutDeadLetterKeyTheOriginalKeyAndCcKeysRoute() throws Exception {
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("dl.cc.dlx", "direct");
    for (String k : List.of("a", "b", "c")) {
      ch.queueDeclare("dl.cc." + k, false, false, false, null);
      ch.queueBind("dl.cc." + k, "dl.cc.dlx", k);
    }
    ch.queueDeclare("dl.cc.src", false, false, false, Args.of("x-dead-letter-exchange", "dl.cc.dlx"));
    ch.queueDeclare("dl.cc.src2", false, false, false,
        Args.of("x-dead-letter-exchange", "dl.cc.dlx", "x-dead-letter-routing-key", "c"));
    ch.exchangeDeclare("dl.cc.in", "direct");
    ch.queueBind("dl.cc.src", "dl.cc.in", "a");
    ch.queueBind("dl.cc.src2", "dl.cc.in", "a");
    AMQP.BasicProperties p = props("cc").builder().headers(Map.of("CC", List.of("b"))).build();
    ch.basicPublish("dl.cc.in", "a", p, body("copied"));
    ch.basicReject(getWithoutAck(ch, "dl.cc.src").getEnvelope().getDeliveryTag(), false);
    ch.basicReject(getWithoutAck(ch, "dl.cc.src2").getEnvelope().getDeliveryTag(), false);

    // from src: routed by "a" and CC "b"; from src2: only by the dead-letter key "c", CC removed
    GetResponse a = BasicGets.one(ch, "dl.cc.a");
    GetResponse b = BasicGets.one(ch, "dl.cc.b");
    GetResponse c = BasicGets.one(ch, "dl.cc.c");
    assertThat(xDeath(a.getProps()).get(0)).containsEntry("queue", "dl.cc.src")
        .containsEntry("routing-keys", List.of("a", "b"));
    assertThat(xDeath(b.getProps()).get(0)).containsEntry("queue", "dl.cc.src");
    assertThat(header(a.getProps(), "CC")).isNotNull();
    assertThat(xDeath(c.getProps()).get(0)).containsEntry("queue", "dl.cc.src2")
        .containsEntry("routing-keys", List.of("a", "b"));
    assertThat(c.getProps().getHeaders()).doesNotContainKey("CC");
    assertThat(c.getEnvelope().getRoutingKey()).isEqualTo("c");
    assertStaysEmpty(ch, "dl.cc.a");
    assertThat(ch.messageCount("dl.cc.b")).isZero();
    ch.close();
  }

  @Test
  void dyingTwiceInTheSameQueueForTheSameReasonCountsAndMovesToTheFront() throws Exception {
    Channel ch = conn.createChannel();
    // work and dead dead-letter into each other: every hop is a rejection, so no cycle is cut
    ch.queueDeclare("dl.twice.work", false, false, false,
        Args.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dl.twice.dead"));
    ch.queueDeclare("dl.twice.dead", false, false, false,
        Args.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dl.twice.work"));
    ch.basicPublish("", "dl.twice.work", props("t"), body("bouncing"));
    ch.basicReject(getWithoutAck(ch, "dl.twice.work").getEnvelope().getDeliveryTag(), false);
    ch.basicReject(getWithoutAck(ch, "dl.twice.dead").getEnvelope().getDeliveryTag(), false);
    GetResponse back = getWithoutAck(ch, "dl.twice.work");
    assertThat(xDeath(back.getProps())).extracting(d -> d.get("queue"))
        .containsExactly("dl.twice.dead", "dl.twice.work");
    ch.basicReject(back.getEnvelope().getDeliveryTag(), false);

    GetResponse r = BasicGets.one(ch, "dl.twice.dead");
    List<Map<String, Object>> deaths = xDeath(r.getProps());
    assertThat(deaths).hasSize(2);
    assertThat(deaths.get(0)).containsEntry("queue", "dl.twice.work").containsEntry("reason", "rejected")
        .containsEntry("count", 2L).containsEntry("exchange", "").containsEntry("routing-keys", List.of("dl.twice.work"));
    assertThat(deaths.get(1)).containsEntry("queue", "dl.twice.dead").containsEntry("count", 1L)
        .containsEntry("exchange", "").containsEntry("routing-keys", List.of("dl.twice.dead"));
    assertThat(header(r.getProps(), "x-first-death-queue")).isEqualTo("dl.twice.work");
    assertThat(header(r.getProps(), "x-first-death-exchange")).isEqualTo("");
    assertThat(header(r.getProps(), "x-last-death-queue")).isEqualTo("dl.twice.work");
    ch.close();
  }

  @Test
  void anAutomaticCycleIsDroppedButACycleWithARejectionIsNot() throws Exception {
    Channel ch = conn.createChannel();
    // expires and dead-letters to itself through the default exchange (its own name is the routing key)
    ch.queueDeclare("dl.cyc.self", false, false, false, Args.of("x-message-ttl", 30, "x-dead-letter-exchange", ""));
    ch.basicPublish("", "dl.cyc.self", props("s"), body("loop"));
    assertStaysEmpty(ch, "dl.cyc.self");

    // the same queue with rejections instead: it comes back each time, counting
    ch.queueDeclare("dl.cyc.rej", false, false, false, Args.of("x-dead-letter-exchange", ""));
    ch.basicPublish("", "dl.cyc.rej", props("r"), body("loop"));
    for (int round = 1; round <= 3; round++) {
      GetResponse r = getWithoutAck(ch, "dl.cyc.rej");
      assertThat(count(r.getProps(), "dl.cyc.rej", "rejected")).isEqualTo(round - 1);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
    }
    assertThat(count(BasicGets.one(ch, "dl.cyc.rej").getProps(), "dl.cyc.rej", "rejected")).isEqualTo(3);

    // expired from a, rejected from b, expired from a again: back to b, since a rejection is in the cycle
    ch.queueDeclare("dl.cyc.b", false, false, false,
        Args.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dl.cyc.a"));
    ch.queueDeclare("dl.cyc.a", false, false, false,
        Args.of("x-message-ttl", 30, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dl.cyc.b"));
    ch.basicPublish("", "dl.cyc.a", props("ab"), body("ab"));
    ch.basicReject(getWithoutAck(ch, "dl.cyc.b").getEnvelope().getDeliveryTag(), false);
    GetResponse again = BasicGets.one(ch, "dl.cyc.b");
    assertThat(xDeath(again.getProps())).extracting(d -> d.get("queue") + "/" + d.get("reason") + "/" + d.get("count"))
        .containsExactly("dl.cyc.a/expired/2", "dl.cyc.b/rejected/1");
    ch.close();
  }

  @Test
  void aMissingDeadLetterExchangeDropsTheMessage() throws Exception {
    Channel ch = conn.createChannel();
    ch.queueDeclare("dl.miss.src", false, false, false, Args.of("x-dead-letter-exchange", "dl.miss.dlx"));
    ch.basicPublish("", "dl.miss.src", props("gone"), body("gone"));
    ch.basicReject(getWithoutAck(ch, "dl.miss.src").getEnvelope().getDeliveryTag(), false);
    assertStaysEmpty(ch, "dl.miss.src");
    assertThat(ch.isOpen()).isTrue();
    // once the exchange exists, the same queue's dead letters get through
    ch.exchangeDeclare("dl.miss.dlx", "fanout");
    ch.queueDeclare("dl.miss.dlq", false, false, false, null);
    ch.queueBind("dl.miss.dlq", "dl.miss.dlx", "");
    ch.basicPublish("", "dl.miss.src", props("kept"), body("kept"));
    ch.basicReject(getWithoutAck(ch, "dl.miss.src").getEnvelope().getDeliveryTag(), false);
    assertThat(text(BasicGets.one(ch, "dl.miss.dlq"))).isEqualTo("kept");
    assertThat(ch.messageCount("dl.miss.dlq")).isZero();
    ch.close();
  }

  @Test
  void aPersistentDeadLetterInADurableQueueSurvivesARestart() throws Exception {
    try (BrokerFixture own = BrokerFixture.start()) {
      try (Connection c = own.connect()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("dl.dur.dlq", true, false, false, null);
        ch.queueDeclare("dl.dur.src", true, false, false,
            Args.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dl.dur.dlq"));
        ch.basicPublish("", "dl.dur.src", props("d").builder().deliveryMode(2).expiration("60000").build(),
            body("durable"));
        ch.basicReject(getWithoutAck(ch, "dl.dur.src").getEnvelope().getDeliveryTag(), false);
        await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("dl.dur.dlq") == 1);
      }
      own.restart();
      try (Connection c = own.connect()) {
        Channel ch = c.createChannel();
        GetResponse r = BasicGets.one(ch, "dl.dur.dlq");
        assertThat(text(r)).isEqualTo("durable");
        assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(r.getProps().getExpiration()).isNull();
        assertThat(xDeath(r.getProps())).singleElement().satisfies(d -> assertThat(d)
            .containsEntry("queue", "dl.dur.src").containsEntry("reason", "rejected").containsEntry("count", 1L)
            .containsEntry("original-expiration", "60000"));
        assertThat(header(r.getProps(), "x-first-death-queue")).isEqualTo("dl.dur.src");
        assertThat(ch.messageCount("dl.dur.src")).as("the source's removal survived too").isZero();
      }
    }
  }

  @Test
  void deadLetteringLeaksNoBuffers() throws Exception {
    try (LeakCheck check = LeakCheck.start()) {
      Channel ch = conn.createChannel();
      sourceAndDlq(ch, "dl.leak.src", "dl.leak.dlq", "x-max-length", 3, "x-message-ttl", 50);
      ch.queueDeclare("dl.leak.miss", false, false, false, Args.of("x-dead-letter-exchange", "dl.leak.none"));
      ch.queueDeclare("dl.leak.self", false, false, false, Args.of("x-message-ttl", 10, "x-dead-letter-exchange", ""));
      byte[] big = new byte[20_000];
      for (int i = 0; i < 20; i++) {
        ch.basicPublish("", "dl.leak.src", props("m" + i).builder().expiration(i % 2 == 0 ? "5" : null).build(),
            big);
        ch.basicPublish("", "dl.leak.miss", props("x" + i), big);
        ch.basicPublish("", "dl.leak.self", props("s" + i), big);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        GetResponse r = ch.basicGet("dl.leak.miss", false);
        if (r != null) {
          ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
        }
        return r == null && ch.messageCount("dl.leak.miss") == 0;
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount("dl.leak.src") == 0
          && ch.messageCount("dl.leak.miss") == 0 && ch.messageCount("dl.leak.self") == 0
          && ch.messageCount("dl.leak.dlq") == 20);
      ch.queuePurge("dl.leak.dlq");
      ch.close();
      assertThat(check.leaks()).as("Netty leak reports").isEmpty();
    }
  }
}
