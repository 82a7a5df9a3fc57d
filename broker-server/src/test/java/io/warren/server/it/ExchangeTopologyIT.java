package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static io.warren.server.it.ExchangeRoutingIT.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Exchange-to-exchange bindings, alternate exchanges, internal and auto-delete exchanges, and sender-selected
 * distribution (CC/BCC).
 */
class ExchangeTopologyIT extends SharedBroker {
  private static Channel confirming() throws Exception {
    Channel ch = conn.createChannel();
    ch.confirmSelect();
    return ch;
  }

  private static String tempQueue(Channel ch) throws Exception {
    return ch.queueDeclare("", false, true, true, null).getQueue();
  }

  private static void assertExchangeGone(String name) {
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive(name), 404,
        "NOT_FOUND - no exchange '" + name + "' in vhost '/'");
  }

  @Test
  void exchangeToExchangeBindingsChainAndFilterByTheirKeys() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("e2e.a", "topic", false, false, null);
    ch.exchangeDeclare("e2e.b", "direct", false, false, null);
    ch.exchangeDeclare("e2e.c", "fanout", false, false, null);
    ch.exchangeBind("e2e.b", "e2e.a", "orders.*");
    ch.exchangeBind("e2e.c", "e2e.b", "orders.new");
    String qb = tempQueue(ch);
    String qc = tempQueue(ch);
    ch.queueBind(qb, "e2e.b", "orders.paid");
    ch.queueBind(qc, "e2e.c", "");
    ch.basicPublish("e2e.a", "orders.new", null, "new".getBytes());
    ch.basicPublish("e2e.a", "orders.paid", null, "paid".getBytes());
    ch.basicPublish("e2e.a", "other.new", null, "other".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, qb)).containsExactly("paid");
    assertThat(drain(ch, qc)).containsExactly("new");

    ch.exchangeUnbind("e2e.c", "e2e.b", "orders.new");
    ch.basicPublish("e2e.a", "orders.new", null, "after-unbind".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, qc)).isEmpty();

    // deleting a middle exchange cuts the chain
    ch.exchangeDelete("e2e.b");
    ch.exchangeDeclare("e2e.b", "direct", false, false, null);
    ch.basicPublish("e2e.a", "orders.paid", null, "cut".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, qb)).isEmpty();
    for (String x : List.of("e2e.a", "e2e.b", "e2e.c")) {
      ch.exchangeDelete(x);
    }
    ch.close();
  }

  @Test
  void cyclesDeliverOneCopyPerQueue() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("cyc.1", "fanout", false, false, null);
    ch.exchangeDeclare("cyc.2", "fanout", false, false, null);
    ch.exchangeBind("cyc.2", "cyc.1", "");
    ch.exchangeBind("cyc.1", "cyc.2", "");
    ch.exchangeBind("cyc.1", "cyc.1", ""); // a self-loop too
    String q1 = tempQueue(ch);
    String both = tempQueue(ch);
    ch.queueBind(q1, "cyc.1", "");
    ch.queueBind(both, "cyc.1", "");
    ch.queueBind(both, "cyc.2", "");
    ch.basicPublish("cyc.1", "", null, "via-1".getBytes());
    ch.basicPublish("cyc.2", "", null, "via-2".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q1)).containsExactly("via-1", "via-2");
    assertThat(drain(ch, both)).containsExactly("via-1", "via-2");
    ch.exchangeDelete("cyc.1");
    ch.exchangeDelete("cyc.2");
    ch.close();
  }

  @Test
  void bindingToAMissingExchangeOrQueueIsNotFound() throws Exception {
    assertChannelError(() -> conn.createChannel().exchangeBind("nope-dest", "amq.direct", "k"), 404,
        "NOT_FOUND - no exchange 'nope-dest' in vhost '/'");
    assertChannelError(() -> conn.createChannel().exchangeBind("amq.direct", "nope-src", "k"), 404,
        "NOT_FOUND - no exchange 'nope-src' in vhost '/'");
    // both missing: RabbitMQ names the source
    assertChannelError(() -> conn.createChannel().exchangeBind("nope-dest", "nope-src", "k"), 404,
        "NOT_FOUND - no exchange 'nope-src' in vhost '/'");
    assertChannelError(() -> conn.createChannel().queueBind("nope-q", "amq.direct", "k"), 404,
        "NOT_FOUND - no queue 'nope-q' in vhost '/'");
    assertChannelError(() -> conn.createChannel().queueBind("nope-q", "nope-src", "k"), 404,
        "NOT_FOUND - no exchange 'nope-src' in vhost '/'");
  }

  @Test
  void publishingToAMissingExchangeClosesTheChannel() throws Exception {
    Channel ch = conn.createChannel();
    ch.basicPublish("no-such-x", "k", null, "m".getBytes());
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(404);
    assertThat(close.getReplyText()).isEqualTo("NOT_FOUND - no exchange 'no-such-x' in vhost '/'");
    assertThat(conn.isOpen()).isTrue();
  }

  @Test
  void alternateExchangeTakesWhatTheExchangeCannotRoute() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("ae.target", "fanout", false, false, null);
    ch.exchangeDeclare("ae.main", "direct", false, false, Map.of("alternate-exchange", "ae.target"));
    ch.exchangeDeclare("ae.dangling", "direct", false, false, Map.of("alternate-exchange", "ae.missing"));
    String routed = tempQueue(ch);
    String unrouted = tempQueue(ch);
    ch.queueBind(routed, "ae.main", "known");
    ch.queueBind(unrouted, "ae.target", "");
    List<String> returned = new CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> returned.add(new String(r.getBody())));
    ch.basicPublish("ae.main", "known", true, null, "k".getBytes());
    ch.basicPublish("ae.main", "unknown", true, null, "u".getBytes());
    ch.basicPublish("ae.dangling", "x", true, null, "dangling".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, routed)).containsExactly("k");
    assertThat(drain(ch, unrouted)).containsExactly("u");
    // routed by the alternate exchange means not returned; a missing alternate exchange routes nowhere
    assertThat(returned).containsExactly("dangling");
    for (String x : List.of("ae.main", "ae.dangling", "ae.target")) {
      ch.exchangeDelete(x);
    }
    ch.close();
  }

  @Test
  void internalExchangesRefusePublishesButReceiveThroughBindings() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("int.x", "fanout", false, false, true, null);
    ch.exchangeDeclare("int.front", "direct", false, false, null);
    ch.exchangeBind("int.x", "int.front", "in");
    String q = tempQueue(ch);
    ch.queueBind(q, "int.x", "");
    ch.basicPublish("int.front", "in", null, "through".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q)).containsExactly("through");

    Channel direct = conn.createChannel();
    direct.basicPublish("int.x", "", null, "direct".getBytes());
    AMQP.Channel.Close close = awaitChannelClosed(direct);
    assertThat(close.getReplyCode()).isEqualTo(403);
    assertThat(close.getReplyText())
        .isEqualTo("ACCESS_REFUSED - cannot publish to internal exchange 'int.x' in vhost '/'");
    assertThat(conn.isOpen()).isTrue();
    assertThat(drain(ch, q)).isEmpty();
    ch.exchangeDelete("int.front");
    ch.exchangeDelete("int.x");
    ch.close();
  }

  @Test
  void autoDeleteExchangesGoWithTheirLastBinding() throws Exception {
    Channel ch = conn.createChannel();
    // never bound: stays
    ch.exchangeDeclare("ad.unbound", "fanout", false, true, null);
    ch.exchangeDeclarePassive("ad.unbound");

    ch.exchangeDeclare("ad.unbind", "direct", false, true, null);
    String q = tempQueue(ch);
    ch.queueBind(q, "ad.unbind", "a");
    ch.queueBind(q, "ad.unbind", "b");
    ch.queueUnbind(q, "ad.unbind", "a");
    ch.exchangeDeclarePassive("ad.unbind");
    ch.queueUnbind(q, "ad.unbind", "b");
    assertExchangeGone("ad.unbind");

    // the queue's deletion removes the last binding
    ch.exchangeDeclare("ad.qdel", "fanout", false, true, null);
    String q2 = ch.queueDeclare("ad-queue", false, false, false, null).getQueue();
    ch.queueBind(q2, "ad.qdel", "");
    ch.queueDelete(q2);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertExchangeGone("ad.qdel"));

    // as the source of an exchange-to-exchange binding
    ch.exchangeDeclare("ad.src", "fanout", false, true, null);
    ch.exchangeBind("amq.fanout", "ad.src", "");
    ch.exchangeUnbind("amq.fanout", "ad.src", "");
    assertExchangeGone("ad.src");

    // deleting the destination of its only binding
    ch.exchangeDeclare("ad.src2", "fanout", false, true, null);
    ch.exchangeDeclare("ad.d2", "fanout", false, false, null);
    ch.exchangeBind("ad.d2", "ad.src2", "");
    ch.exchangeDelete("ad.d2");
    assertExchangeGone("ad.src2");

    // being a destination does not keep it alive or delete it
    ch.exchangeDeclare("ad.dest", "fanout", false, true, null);
    ch.exchangeBind("ad.dest", "amq.direct", "k");
    ch.exchangeUnbind("ad.dest", "amq.direct", "k");
    ch.exchangeDeclarePassive("ad.dest");
    ch.exchangeDelete("ad.dest");
    ch.exchangeDelete("ad.unbound");
    ch.close();
  }

  @Test
  void ccAndBccRouteToExtraKeysAndBccIsStripped() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("ssd", "direct", false, false, null);
    String main = tempQueue(ch);
    String cc = tempQueue(ch);
    String bcc = tempQueue(ch);
    ch.queueBind(main, "ssd", "main");
    ch.queueBind(cc, "ssd", "cc-key");
    ch.queueBind(bcc, "ssd", "bcc-key");
    ch.queueBind(bcc, "ssd", "main-too");
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Args.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key", "main-too"), "other", "kept"))
        .build();
    ch.basicPublish("ssd", "main", props, "ssd".getBytes());
    ch.waitForConfirmsOrDie(5000);
    for (String q : List.of(main, cc, bcc)) {
      GetResponse r = ch.basicGet(q, true);
      assertThat(r).as(q).isNotNull();
      assertThat(new String(r.getBody())).isEqualTo("ssd");
      assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("main");
      Map<String, Object> headers = r.getProps().getHeaders();
      assertThat(headers).containsKey("CC").doesNotContainKey("BCC");
      assertThat(headers.get("CC").toString()).isEqualTo("[cc-key]");
      assertThat(headers.get("other").toString()).isEqualTo("kept");
      assertThat(ch.basicGet(q, true)).as("one copy per queue").isNull();
    }
    ch.exchangeDelete("ssd");
    ch.close();
  }
  @Test
  void bccRewritesAndRefusedPublishesLeakNoBuffers() throws Exception {
    try (LeakCheck leaks = LeakCheck.start()) {
      Channel ch = confirming();
      ch.exchangeDeclare("leak.int", "fanout", false, true, true, null);
      String q = tempQueue(ch);
      AMQP.BasicProperties bcc = new AMQP.BasicProperties.Builder()
          .headers(Args.of("BCC", List.of(q), "CC", List.of("nowhere"))).build();
      for (int i = 0; i < 20; i++) {
        ch.basicPublish("", "no-such-queue", bcc, new byte[1000]); // the default exchange, by BCC only
      }
      ch.waitForConfirmsOrDie(5000);
      assertThat(drain(ch, q)).hasSize(20);
      for (int i = 0; i < 3; i++) {
        Channel refused = conn.createChannel();
        refused.basicPublish("leak.int", "", null, new byte[1000]);
        assertThat(awaitChannelClosed(refused).getReplyCode()).isEqualTo(403);
      }
      ch.exchangeDelete("leak.int");
      ch.close();
      assertThat(leaks.leaks()).isEmpty();
    }
  }
}
