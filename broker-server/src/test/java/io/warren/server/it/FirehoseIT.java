package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.NetworkConnection;
import io.warren.ctl.Warrenctl;
import io.warren.management.Http;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The firehose tracer through the RabbitMQ Java client: switched by the management API and by warrenctl, publish and
 * deliver traces with RabbitMQ's headers, per vhost, never traced themselves, off after a restart. A trace queue is
 * bound to amq.rabbitmq.trace with "#"; to show that something was not traced, tracing is turned on and a marker
 * published on the same channel: the marker's trace must be the next one.
 */
class FirehoseIT {
  private static final String TRACE = "amq.rabbitmq.trace";
  private BrokerFixture broker;
  private Http http;

  @BeforeEach
  void start() {
    broker = BrokerFixture.start();
    http = new Http(broker.broker().management().port());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void tracing(String vhost, boolean on) throws Exception {
    assertThat(http.put("/api/vhosts/" + enc(vhost), "{\"tracing\":" + on + "}").statusCode()).isEqualTo(204);
  }

  private boolean tracing(String vhost) throws Exception {
    return http.json("/api/vhosts/" + enc(vhost)).get("tracing").asBoolean();
  }

  private static String enc(String vhost) {
    return java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8);
  }

  /** A queue bound to the vhost's trace exchange with "#": every trace. */
  private static String traceQueue(Channel ch) throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.queueBind(q, TRACE, "#");
    return q;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static List<String> texts(Object array) {
    return ((List<?>) array).stream().map(Object::toString).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The next message of the queue, to be acknowledged. */
  private static GetResponse unacked(Channel ch, String queue) {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(10)).until(() -> ch.basicGet(queue, false), r -> r != null);
  }

  /** Publishes a marker with tracing on and checks that its trace is the next one the queue holds. */
  private void assertNoTraceBeforeMarker(String vhost, Channel ch, String traces) throws Exception {
    tracing(vhost, true);
    ch.basicPublish("", "marker-" + System.nanoTime(), null, bytes("marker"));
    GetResponse next = BasicGets.one(ch, traces);
    assertThat(next.getEnvelope().getRoutingKey()).isEqualTo("publish.");
    assertThat(new String(next.getBody(), StandardCharsets.UTF_8)).isEqualTo("marker");
  }

  @Test
  void publishAndDeliveryTracesCarryRabbitMqsHeadersWhileTheApiHasTracingOn() throws Exception {
    try (Connection c = broker.connect()) {
      Channel pub = c.createChannel();
      Channel sub = c.createChannel();
      pub.exchangeDeclare("orders", "topic");
      pub.queueDeclare("order-q", false, false, false, null);
      pub.queueBind("order-q", "orders", "order.*");
      String traces = traceQueue(pub);
      assertThat(tracing("/")).isFalse();
      tracing("/", true);
      assertThat(tracing("/")).isTrue();
      assertThat(http.json("/api/vhosts").get(0).get("tracing").asBoolean()).isTrue();

      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain").deliveryMode(2)
          .priority(3).correlationId("c-1").messageId("m-1").timestamp(new Date(1_700_000_000_000L)).appId("shop")
          .headers(Map.of("k", "v", "CC", List.of("order.cc"), "BCC", List.of("order.bcc"))).build();
      pub.basicPublish("orders", "order.new", props, bytes("hello"));
      BlockingQueue<com.rabbitmq.client.Delivery> got = new ArrayBlockingQueue<>(1);
      String consumer = sub.basicConsume("order-q", false, (tag, d) -> got.add(d), tag -> { });
      com.rabbitmq.client.Delivery delivery = got.poll(10, TimeUnit.SECONDS);
      assertThat(delivery).isNotNull();
      sub.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
      sub.basicCancel(consumer);

      String node = http.json("/api/overview").get("node").asText();
      String connection = ":" + ((NetworkConnection) c).getLocalPort() + " -> ";
      GetResponse publish = BasicGets.one(pub, traces);
      assertThat(publish.getEnvelope().getExchange()).isEqualTo(TRACE);
      assertThat(publish.getEnvelope().getRoutingKey()).isEqualTo("publish.orders");
      assertThat(publish.getBody()).isEqualTo(bytes("hello"));
      assertThat(publish.getProps().getDeliveryMode()).as("traces are transient").isNull();
      Map<String, Object> h = publish.getProps().getHeaders();
      assertThat(h.keySet()).containsExactlyInAnyOrder("exchange_name", "routing_keys", "properties", "node", "vhost",
          "connection", "channel", "user", "routed_queues");
      assertThat(text(h.get("exchange_name"))).isEqualTo("orders");
      assertThat(texts(h.get("routing_keys"))).containsExactly("order.new", "order.cc", "order.bcc");
      assertThat(text(h.get("node"))).isEqualTo(node);
      assertThat(text(h.get("vhost"))).isEqualTo("/");
      assertThat(text(h.get("connection"))).contains(connection);
      assertThat(h.get("channel")).isEqualTo(pub.getChannelNumber());
      assertThat(text(h.get("user"))).isEqualTo("guest");
      assertThat(texts(h.get("routed_queues"))).containsExactly("order-q");
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) h.get("properties");
      assertThat(p.keySet()).containsExactlyInAnyOrder("content_type", "headers", "delivery_mode", "priority",
          "correlation_id", "message_id", "timestamp", "app_id");
      assertThat(text(p.get("content_type"))).isEqualTo("text/plain");
      assertThat(p.get("delivery_mode")).isEqualTo(2);
      assertThat(p.get("priority")).isEqualTo(3);
      assertThat(p.get("timestamp")).as("signedint, as RabbitMQ types it").isEqualTo(1_700_000_000);
      assertThat(text(p.get("app_id"))).isEqualTo("shop");
      @SuppressWarnings("unchecked")
      Map<String, Object> original = (Map<String, Object>) p.get("headers");
      assertThat(original).containsKeys("k", "CC").doesNotContainKey("BCC");

      GetResponse deliver = BasicGets.one(pub, traces);
      assertThat(deliver.getEnvelope().getRoutingKey()).isEqualTo("deliver.order-q");
      assertThat(deliver.getBody()).isEqualTo(bytes("hello"));
      Map<String, Object> d = deliver.getProps().getHeaders();
      assertThat(d.keySet()).containsExactlyInAnyOrder("exchange_name", "routing_keys", "properties", "node", "redelivered",
          "vhost", "connection", "channel", "user");
      assertThat(text(d.get("exchange_name"))).isEqualTo("orders");
      assertThat(texts(d.get("routing_keys"))).startsWith("order.new", "order.cc");
      assertThat(d.get("redelivered")).isEqualTo(0);
      assertThat(d.get("channel")).isEqualTo(sub.getChannelNumber());
      assertThat(text(d.get("connection"))).contains(connection);

      tracing("/", false);
      assertThat(tracing("/")).isFalse();
      pub.basicPublish("orders", "order.new", null, bytes("untraced"));
      BasicGets.one(pub, "order-q"); // taken, so processed before tracing is on again
      assertNoTraceBeforeMarker("/", pub, traces);
    }
  }

  /** warrenctl's verbs, run in-process as a script runs them; answers the exit code and stdout. */
  private String warrenctl(String... verb) {
    List<String> args = new java.util.ArrayList<>(List.of("--port",
        Integer.toString(broker.broker().management().port())));
    args.addAll(List.of(verb));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Warrenctl.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        new BufferedReader(new StringReader("")));
    assertThat(code).as("exit code of %s; stderr: %s", args, err).isZero();
    return out.toString();
  }

  @Test
  void warrenctlSwitchesTracingAndBasicGetsOfTheDefaultExchangeAreTraced() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("jobs", false, false, false, null);
      String traces = traceQueue(ch);
      assertThat(warrenctl("trace_on")).isEqualTo("Starting tracing for vhost \"/\" ...\nTrace enabled for vhost /\n");
      assertThat(tracing("/")).isTrue();
      assertThat(warrenctl("-q", "list_vhosts", "name", "tracing")).isEqualTo("name\ttracing\n/\ttrue\n");

      ch.basicPublish("", "jobs", null, bytes("job"));
      GetResponse first = BasicGets.one(ch, traces);
      assertThat(first.getEnvelope().getRoutingKey()).isEqualTo("publish.");
      assertThat(text(first.getProps().getHeaders().get("exchange_name"))).isEmpty();
      assertThat(texts(first.getProps().getHeaders().get("routing_keys"))).containsExactly("jobs");
      assertThat(texts(first.getProps().getHeaders().get("routed_queues"))).containsExactly("jobs");

      GetResponse got = unacked(ch, "jobs");
      ch.basicReject(got.getEnvelope().getDeliveryTag(), true);
      GetResponse again = unacked(ch, "jobs");
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
      GetResponse get1 = BasicGets.one(ch, traces);
      GetResponse get2 = BasicGets.one(ch, traces);
      assertThat(get1.getEnvelope().getRoutingKey()).isEqualTo("deliver.jobs");
      assertThat(get1.getProps().getHeaders().get("redelivered")).isEqualTo(0);
      assertThat(get2.getEnvelope().getRoutingKey()).isEqualTo("deliver.jobs");
      assertThat(get2.getProps().getHeaders().get("redelivered")).isEqualTo(1);
      assertThat(get2.getBody()).isEqualTo(bytes("job"));

      assertThat(warrenctl("-q", "trace_off")).isEqualTo("Trace disabled for vhost /\n");
      assertThat(tracing("/")).isFalse();
      ch.basicPublish("", "jobs", null, bytes("job 2"));
      BasicGets.one(ch, "jobs");
      assertNoTraceBeforeMarker("/", ch, traces);
    }
  }

  @Test
  void aMessageNoQueueTakesIsTracedOnPublishWithNoRoutedQueues() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("nowhere", "fanout");
      String traces = traceQueue(ch);
      tracing("/", true);
      ch.basicPublish("nowhere", "k", true, null, bytes("lost"));
      GetResponse t = BasicGets.one(ch, traces);
      assertThat(t.getEnvelope().getRoutingKey()).isEqualTo("publish.nowhere");
      assertThat(texts(t.getProps().getHeaders().get("routed_queues"))).isEmpty();
      assertThat(t.getBody()).isEqualTo(bytes("lost"));
    }
  }

  @Test
  void tracesAreNotTracedAndClientsCannotPublishToTheTraceExchange() throws Exception {
    JsonNode x = http.json("/api/exchanges/%2F/" + TRACE);
    assertThat(x.get("type").asText()).isEqualTo("topic");
    assertThat(x.get("internal").asBoolean()).isTrue();
    assertThat(x.get("durable").asBoolean()).isTrue();
    var forged = http.post("/api/exchanges/%2F/" + TRACE + "/publish",
        "{\"routing_key\":\"publish.x\",\"payload\":\"forged\",\"payload_encoding\":\"string\",\"properties\":{}}");
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(Http.json(forged).get("reason").asText())
        .isEqualTo("403 ACCESS_REFUSED - cannot publish to internal exchange '" + TRACE + "' in vhost '/'");
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("work", false, false, false, null);
      String all = traceQueue(ch);
      String deliveries = ch.queueDeclare().getQueue();
      ch.queueBind(deliveries, TRACE, "deliver.#");
      tracing("/", true);
      BlockingQueue<com.rabbitmq.client.Delivery> seen = new ArrayBlockingQueue<>(16);
      ch.basicConsume(all, true, (tag, d) -> seen.add(d), tag -> { });
      ch.basicPublish("", "work", null, bytes("w"));
      com.rabbitmq.client.Delivery trace = seen.poll(10, TimeUnit.SECONDS);
      assertThat(trace).isNotNull();
      assertThat(trace.getEnvelope().getRoutingKey()).isEqualTo("publish.");
      // a delivery of a trace would have been traced, on this channel, before the next basic.get's trace
      BasicGets.one(ch, "work");
      GetResponse next = BasicGets.one(ch, deliveries);
      assertThat(next.getEnvelope().getRoutingKey()).isEqualTo("deliver.work");

      Channel bad = c.createChannel();
      bad.basicPublish(TRACE, "publish.fake", null, bytes("forged"));
      AMQP.Channel.Close close = awaitChannelClosed(bad);
      assertThat(close.getReplyCode()).isEqualTo(403);
      assertThat(close.getReplyText())
          .isEqualTo("ACCESS_REFUSED - cannot publish to internal exchange '" + TRACE + "' in vhost '/'");
    }
  }

  @Test
  void tracingIsPerVhost() throws Exception {
    assertThat(http.put("/api/vhosts/other", "{}").statusCode()).isEqualTo(201);
    tracing("/", true);
    assertThat(tracing("other")).isFalse();
    var factory = broker.factory();
    factory.setVirtualHost("other");
    try (Connection c = factory.newConnection(); Connection root = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("q", false, false, false, null);
      String traces = traceQueue(ch);
      Channel rootCh = root.createChannel();
      String rootTraces = traceQueue(rootCh);
      ch.basicPublish("", "q", null, bytes("in other"));
      BasicGets.one(ch, "q");
      rootCh.basicPublish("", "nowhere", null, bytes("in /"));
      GetResponse rootTrace = BasicGets.one(rootCh, rootTraces);
      assertThat(rootTrace.getBody()).isEqualTo(bytes("in /"));
      assertThat(text(rootTrace.getProps().getHeaders().get("vhost"))).isEqualTo("/");
      assertNoTraceBeforeMarker("other", ch, traces);
      assertThat(tracing("other")).isTrue();
    }
  }

  @Test
  void tracingIsOffAfterARestartAsInRabbitMq() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("firehose", true, false, false, null);
      ch.queueBind("firehose", TRACE, "#");
    }
    tracing("/", true);
    broker.restart();
    http = new Http(broker.broker().management().port());
    assertThat(tracing("/")).isFalse();
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.basicPublish("", "nowhere", null, bytes("after restart"));
      // a round trip on the same channel: the broker has handled that publish before tracing is turned on over HTTP
      ch.queueDeclarePassive("firehose");
      // the durable binding to the trace exchange survived: the marker's trace arrives, and nothing before it
      assertNoTraceBeforeMarker("/", ch, "firehose");
    }
  }
}
