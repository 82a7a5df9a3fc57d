package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Routing through each exchange type, end to end through the Java client. */
class ExchangeRoutingIT extends SharedBroker {
  /** Every body in the queue, in order, taken with no-ack. */
  static List<String> drain(Channel ch, String queue) throws Exception {
    List<String> bodies = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static Channel confirming() throws Exception {
    Channel ch = conn.createChannel();
    ch.confirmSelect();
    return ch;
  }

  private static String tempQueue(Channel ch) throws Exception {
    return ch.queueDeclare("", false, true, true, null).getQueue();
  }

  @Test
  void defaultExchangeRoutesToTheQueueNamedByTheKey() throws Exception {
    Channel ch = confirming();
    String q = tempQueue(ch);
    ch.basicPublish("", q, null, "hit".getBytes());
    ch.basicPublish("", q + "-nope", null, "miss".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q)).containsExactly("hit");
    ch.close();
  }

  @Test
  void directRoutesByExactKey() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("r.direct", "direct", false, true, null);
    String q1 = tempQueue(ch);
    String q2 = tempQueue(ch);
    ch.queueBind(q1, "r.direct", "k1");
    ch.queueBind(q1, "r.direct", "both");
    ch.queueBind(q2, "r.direct", "k2");
    ch.queueBind(q2, "r.direct", "both");
    for (String key : List.of("k1", "k2", "both", "K1", "k1.x", "")) {
      ch.basicPublish("r.direct", key, null, key.getBytes());
    }
    ch.basicPublish("amq.direct", "k1", null, "other-exchange".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q1)).containsExactly("k1", "both");
    assertThat(drain(ch, q2)).containsExactly("k2", "both");
    ch.close();
  }

  @Test
  void fanoutIgnoresTheKey() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("r.fanout", "fanout", false, true, null);
    String q1 = tempQueue(ch);
    String q2 = tempQueue(ch);
    ch.queueBind(q1, "r.fanout", "");
    ch.queueBind(q2, "r.fanout", "whatever");
    ch.queueBind(q2, "r.fanout", "second-binding"); // still one copy per queue
    ch.basicPublish("r.fanout", "any.key", null, "1".getBytes());
    ch.basicPublish("r.fanout", "", null, "2".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q1)).containsExactly("1", "2");
    assertThat(drain(ch, q2)).containsExactly("1", "2");
    ch.close();
  }

  @Test
  void topicWildcardsMatchLikeRabbitMq() throws Exception {
    List<String> keys = List.of("", "a", "a.b", "a.b.c", "b", "a..b", ".", "a.", ".a", "x.a.b", "a.x.y.b");
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("a.*", Set.of("a.b", "a."));
    expected.put("*", Set.of("a", "b"));
    expected.put("#", Set.copyOf(keys));
    expected.put("#.#", Set.copyOf(keys));
    expected.put("a.#", Set.of("a", "a.b", "a.b.c", "a..b", "a.", "a.x.y.b"));
    expected.put("#.b", Set.of("a.b", "b", "a..b", "x.a.b", "a.x.y.b"));
    expected.put("a.#.b", Set.of("a.b", "a..b", "a.x.y.b"));
    expected.put("*.*", Set.of("a.b", ".", "a.", ".a"));
    expected.put("a..b", Set.of("a..b"));
    expected.put("", Set.of(""));
    expected.put("*.a", Set.of(".a"));
    expected.put("a.*.#", Set.of("a.b", "a.b.c", "a..b", "a.", "a.x.y.b"));
    expected.put("#.a.#", Set.of("a", "a.b", "a.b.c", "a..b", "a.", ".a", "x.a.b", "a.x.y.b"));
    expected.put("a.b.c", Set.of("a.b.c"));

    Channel ch = confirming();
    ch.exchangeDeclare("r.topic", "topic", false, true, null);
    Map<String, String> queueOf = new HashMap<>();
    for (String pattern : expected.keySet()) {
      String q = tempQueue(ch);
      ch.queueBind(q, "r.topic", pattern);
      queueOf.put(pattern, q);
    }
    for (String key : keys) {
      ch.basicPublish("r.topic", key, null, key.getBytes());
    }
    ch.waitForConfirmsOrDie(5000);
    Map<String, Set<String>> actual = new LinkedHashMap<>();
    for (String pattern : expected.keySet()) {
      actual.put(pattern, new TreeSet<>(drain(ch, queueOf.get(pattern))));
    }
    assertThat(actual).isEqualTo(expected);
    ch.close();
  }

  @Test
  void headersMatchAllAnyAndTheWithXVariants() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("r.headers", "headers", false, true, null);
    Map<String, Map<String, Object>> bindings = new LinkedHashMap<>();
    bindings.put("all", Args.of("x-match", "all", "a", 1, "b", "x"));
    bindings.put("default-all", Args.of("a", 1, "b", "x"));
    bindings.put("any", Args.of("x-match", "any", "a", 1, "b", "x"));
    bindings.put("all-empty", Args.of("x-match", "all"));
    bindings.put("any-only-x", Args.of("x-match", "any", "x-k", "v"));
    bindings.put("all-ignores-x", Args.of("x-match", "all", "x-k", "v", "a", 1));
    bindings.put("all-with-x", Args.of("x-match", "all-with-x", "x-k", "v", "a", 1));
    bindings.put("any-with-x", Args.of("x-match", "any-with-x", "x-k", "v"));
    bindings.put("presence", Args.of("x-match", "all", "a", null));
    Map<String, String> queueOf = new HashMap<>();
    for (var e : bindings.entrySet()) {
      String q = tempQueue(ch);
      ch.queueBind(q, "r.headers", "ignored-key", e.getValue());
      queueOf.put(e.getKey(), q);
    }
    Map<String, Map<String, Object>> messages = new LinkedHashMap<>();
    messages.put("m-ab", Args.of("a", 1, "b", "x"));
    messages.put("m-abc", Args.of("a", 1, "b", "x", "c", 2));
    messages.put("m-a", Args.of("a", 1));
    messages.put("m-a2", Args.of("a", 2));
    messages.put("m-b", Args.of("b", "x"));
    messages.put("m-xk-a", Args.of("x-k", "v", "a", 1));
    messages.put("m-xk", Args.of("x-k", "v"));
    messages.put("m-none", null);
    for (var e : messages.entrySet()) {
      ch.basicPublish("r.headers", "", new AMQP.BasicProperties.Builder().headers(e.getValue()).build(),
          e.getKey().getBytes());
    }
    ch.waitForConfirmsOrDie(5000);
    Map<String, Set<String>> actual = new LinkedHashMap<>();
    for (String b : bindings.keySet()) {
      actual.put(b, new TreeSet<>(drain(ch, queueOf.get(b))));
    }
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("all", Set.of("m-ab", "m-abc"));
    expected.put("default-all", Set.of("m-ab", "m-abc"));
    expected.put("any", Set.of("m-ab", "m-abc", "m-a", "m-b", "m-xk-a"));
    expected.put("all-empty", Set.copyOf(messages.keySet()));
    expected.put("any-only-x", Set.of());
    expected.put("all-ignores-x", Set.of("m-ab", "m-abc", "m-a", "m-xk-a"));
    expected.put("all-with-x", Set.of("m-xk-a"));
    expected.put("any-with-x", Set.of("m-xk", "m-xk-a"));
    expected.put("presence", Set.of("m-ab", "m-abc", "m-a", "m-a2", "m-xk-a"));
    assertThat(actual).isEqualTo(expected);
    ch.close();
  }

  @Test
  void predeclaredExchangesRouteByTheirType() throws Exception {
    Channel ch = confirming();
    String direct = tempQueue(ch);
    String fanout = tempQueue(ch);
    String topic = tempQueue(ch);
    String headers = tempQueue(ch);
    String match = tempQueue(ch);
    ch.queueBind(direct, "amq.direct", "pd");
    ch.queueBind(fanout, "amq.fanout", "");
    ch.queueBind(topic, "amq.topic", "pd.*");
    ch.queueBind(headers, "amq.headers", "", Args.of("h", "1"));
    ch.queueBind(match, "amq.match", "", Args.of("x-match", "any", "h", "2"));
    ch.basicPublish("amq.direct", "pd", null, "d".getBytes());
    ch.basicPublish("amq.fanout", "zzz", null, "f".getBytes());
    ch.basicPublish("amq.topic", "pd.t", null, "t".getBytes());
    ch.basicPublish("amq.headers", "", new AMQP.BasicProperties.Builder().headers(Args.of("h", "1")).build(),
        "h".getBytes());
    ch.basicPublish("amq.match", "", new AMQP.BasicProperties.Builder().headers(Args.of("h", "2")).build(),
        "m".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, direct)).containsExactly("d");
    assertThat(drain(ch, fanout)).containsExactly("f");
    assertThat(drain(ch, topic)).containsExactly("t");
    assertThat(drain(ch, headers)).containsExactly("h");
    assertThat(drain(ch, match)).containsExactly("m");
    ch.close();
  }

  @Test
  void unbindStopsRoutingAndUnroutableMandatoryMessagesAreReturned() throws Exception {
    Channel ch = confirming();
    ch.exchangeDeclare("r.unbind", "topic", false, false, null);
    String q = tempQueue(ch);
    ch.queueBind(q, "r.unbind", "u.#");
    List<String> returned = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> returned.add(r.getReplyCode() + " " + r.getReplyText() + " " + r.getExchange()
        + " " + r.getRoutingKey()));
    ch.basicPublish("r.unbind", "u.1", true, null, "1".getBytes());
    ch.queueUnbind(q, "r.unbind", "u.#");
    ch.basicPublish("r.unbind", "u.2", true, null, "2".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(drain(ch, q)).containsExactly("1");
    assertThat(returned).containsExactly("312 NO_ROUTE r.unbind u.2");
    ch.exchangeDelete("r.unbind");
    ch.close();
  }
}
