package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.impl.NetworkConnection;
import io.warren.management.Http;
import io.warren.store.Residency;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management API's counters and rates against a real broker, driven by the RabbitMQ Java client and read with the
 * JDK HttpClient: exchanges' publish_in/publish_out, confirms counted when sent, acks of basic.get, a client's
 * connection name, socket byte rates, and the bytes of messages paged out of memory (also after a restart). Rates
 * are sampled every 200 ms here instead of 5 s. One broker for the class; each test uses its own names.
 */
class ManagementStatsIT {
  private static BrokerFixture broker;
  private static Http http;

  @BeforeAll
  static void start() {
    // a residency window of 10 messages, so that a durable queue's backlog pages out early
    broker = BrokerFixture.start(c -> c.withHttp(c.http().sampledEvery(200))
        .withResidency(new Residency(10, 1 << 20, 0.5)));
    http = new Http(broker.broker().management().port());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void exchangesCountMessagesInAndOutWithRates() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("stats-fan", "fanout");
      ch.exchangeDeclare("stats-lonely", "direct");
      for (String q : new String[] {"stats-fan-1", "stats-fan-2"}) {
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, "stats-fan", "");
      }
      assertThat(http.json("/api/exchanges/%2F/stats-fan").get("message_stats")).isEmpty(); // as RabbitMQ
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("stats-fan", "", null, new byte[10]);
      }
      ch.basicPublish("stats-lonely", "nobody", null, new byte[10]);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode fan = http.json("/api/exchanges/%2F/stats-fan").get("message_stats");
        assertThat(fan.get("publish_in").asLong()).isEqualTo(5);
        assertThat(fan.get("publish_out").asLong()).isEqualTo(10); // once per queue it reached
      });
      JsonNode lonely = http.json("/api/exchanges/%2F/stats-lonely").get("message_stats");
      assertThat(lonely.get("publish_in").asLong()).isEqualTo(1);
      assertThat(lonely.get("publish_out").asLong()).isZero();

      assertThat(http.post("/api/exchanges/%2F/stats-fan/publish", "{\"routing_key\":\"\",\"payload\":\"x\","
          + "\"payload_encoding\":\"string\",\"properties\":{}}").statusCode()).isEqualTo(200);
      JsonNode listed = null;
      for (JsonNode e : http.json("/api/exchanges/%2F")) {
        if (e.get("name").asText().equals("stats-fan")) {
          listed = e.get("message_stats");
        }
      }
      assertThat(listed).isNotNull();
      assertThat(listed.get("publish_in").asLong()).isEqualTo(6);
      assertThat(listed.get("publish_out").asLong()).isEqualTo(12);

      whilePublishing(ch, "stats-fan", () -> {
        JsonNode fan = http.json("/api/exchanges/%2F/stats-fan").get("message_stats");
        assertThat(fan.get("publish_in_details").get("rate").asDouble()).isPositive();
        assertThat(fan.get("publish_out_details").get("rate").asDouble())
            .isGreaterThan(fan.get("publish_in_details").get("rate").asDouble()); // two queues
      });

      ch.exchangeDelete("stats-fan");
      ch.exchangeDeclare("stats-fan", "fanout");
      assertThat(http.json("/api/exchanges/%2F/stats-fan").get("message_stats")).isEmpty(); // a new exchange
    }
  }

  @Test
  void aDelayedMessageCountsInItsExchangesPublishOutWhenItIsRouted() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("stats-later", "x-delayed-message", false, false, Map.of("x-delayed-type", "fanout"));
      for (String q : new String[] {"stats-later-1", "stats-later-2"}) {
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, "stats-later", "");
      }
      ch.basicPublish("stats-later", "", new AMQP.BasicProperties.Builder().headers(Map.of("x-delay", 200)).build(),
          new byte[5]);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(ch.messageCount("stats-later-1") + ch.messageCount("stats-later-2")).isEqualTo(2);
        JsonNode listed = null;
        for (JsonNode e : http.json("/api/exchanges/%2F")) {
          if (e.get("name").asText().equals("stats-later")) {
            listed = e.get("message_stats");
          }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("publish_in").asLong()).isEqualTo(1);
        assertThat(listed.get("publish_out").asLong()).isEqualTo(2); // once per queue, when it was routed
      });
    }
  }

  @Test
  void confirmCountsTheAcksSentNotThePublishesTaken() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-confirm", false, false, false, Map.of("x-max-length", 1, "x-overflow",
          "reject-publish"));
      ch.confirmSelect();
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "stats-confirm", null, new byte[1]);
      }
      assertThat(ch.waitForConfirms(10_000)).isFalse(); // the second and third are nacked: the queue is full
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode stats = channelOf(c).get("message_stats");
        assertThat(stats.get("publish").asLong()).isEqualTo(3);
        assertThat(stats.get("confirm").asLong()).isEqualTo(1);
      });
    }
  }

  @Test
  void acksOfBasicGetCountOnTheQueue() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-get", false, false, false, null);
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "stats-get", null, new byte[1]);
      }
      GetResponse first = ch.basicGet("stats-get", false);
      GetResponse second = ch.basicGet("stats-get", false);
      GetResponse third = ch.basicGet("stats-get", false);
      ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
      ch.basicAck(second.getEnvelope().getDeliveryTag(), false);
      ch.basicNack(third.getEnvelope().getDeliveryTag(), false, true); // not an ack
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode stats = http.json("/api/queues/%2F/stats-get").get("message_stats");
        assertThat(stats.get("get").asLong()).isEqualTo(3);
        assertThat(stats.get("ack").asLong()).isEqualTo(2);
        assertThat(channelOf(c).get("message_stats").get("ack").asLong()).isEqualTo(2);
      });
    }
  }

  @Test
  void aConnectionShowsTheNameItsClientGaveIt() throws Exception {
    try (Connection named = broker.factory().newConnection("billing-service");
        Connection anonymous = broker.connect()) {
      JsonNode mine = connectionOf(named);
      assertThat(mine.get("user_provided_name").asText()).isEqualTo("billing-service");
      assertThat(mine.get("client_properties").get("connection_name").asText()).isEqualTo("billing-service");
      JsonNode detail = http.json("/api/connections/" + encode(mine.get("name").asText()));
      assertThat(detail.get("user_provided_name").asText()).isEqualTo("billing-service");
      assertThat(connectionOf(anonymous).has("user_provided_name")).isFalse(); // absent, as RabbitMQ
    }
  }

  @Test
  void socketByteRatesFollowTraffic() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-octets", false, false, false, null);
      ch.basicConsume("stats-octets", true, (tag, d) -> { }, tag -> { });
      whilePublishing(ch, "", () -> {
        JsonNode conn = connectionOf(c);
        // about 100 messages of 1000 bytes a second in, and as many deliveries out
        assertThat(conn.get("recv_oct_details").get("rate").asDouble()).isGreaterThan(10_000);
        assertThat(conn.get("send_oct_details").get("rate").asDouble()).isGreaterThan(10_000);
      });
    }
  }

  private static void whilePublishing(Channel ch, String exchange, ThrowingRunnable assertion) throws Exception {
    whilePublishing(ch, exchange, "stats-octets", assertion);
  }

  /**
   * Publishes 1000-byte messages to the exchange with the routing key about every 5 ms from another thread until the
   * assertion holds: rates need traffic across a sample interval.
   */
  private static void whilePublishing(Channel ch, String exchange, String routingKey, ThrowingRunnable assertion)
      throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    Thread publisher = new Thread(() -> {
      try {
        while (!done.get()) {
          ch.basicPublish(exchange, routingKey, null, new byte[1000]);
          Thread.sleep(5);
        }
      } catch (Exception e) {
        // the channel closed at the end of the test
      }
    }, "stats-publisher");
    publisher.start();
    try {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(assertion);
    } finally {
      done.set(true);
      publisher.join(5000);
    }
  }

  @Test
  void listingsCountsAndTotalsFollowQueuesAndChannelsComingAndGoing() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      c.createChannel();
      for (String q : List.of("stats-list-b", "stats-list-a", "stats-list-c")) {
        ch.queueDeclare(q, false, false, false, null);
      }
      assertThat(names(http.json("/api/queues?page=1&page_size=10&name=stats-list-")))
          .containsExactly("stats-list-a", "stats-list-b", "stats-list-c");
      ch.queueDelete("stats-list-b");
      ch.queueDeclare("stats-list-0", false, false, false, null);
      ch.basicPublish("", "stats-list-a", null, new byte[3]);
      ch.basicPublish("", "stats-list-a", null, new byte[3]);
      assertThat(names(http.json("/api/queues?page=1&page_size=10&name=stats-list-")))
          .containsExactly("stats-list-0", "stats-list-a", "stats-list-c");
      assertThat(names(http.json("/api/queues/%2F?page=1&page_size=10&name=stats-list-")))
          .containsExactly("stats-list-0", "stats-list-a", "stats-list-c");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        // the overview and /metrics count and sum without listing: they must agree with the listings
        JsonNode all = http.json("/api/queues");
        long messages = 0;
        for (JsonNode q : all) {
          messages += q.get("messages").asLong();
        }
        JsonNode o = http.json("/api/overview");
        assertThat(o.get("object_totals").get("queues").asInt()).isEqualTo(all.size());
        assertThat(o.get("queue_totals").get("messages").asLong()).isEqualTo(messages).isGreaterThanOrEqualTo(2);
        int channels = http.json("/api/channels").size();
        assertThat(channels).isGreaterThanOrEqualTo(2);
        assertThat(o.get("object_totals").get("channels").asInt()).isEqualTo(channels);
        assertThat(o.get("object_totals").get("connections").asInt()).isEqualTo(http.json("/api/connections").size());
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("rabbitmq_queues " + all.size() + ".0")
            .contains("rabbitmq_channels " + channels + ".0").contains("rabbitmq_queue_messages " + messages + ".0");
      });
    }
  }

  @Test
  void queueLengthRatesFollowAGrowingQueue() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-growing", false, false, false, null);
      whilePublishing(ch, "", "stats-growing", () -> {
        JsonNode q = http.json("/api/queues/%2F/stats-growing");
        assertThat(q.get("messages_ready_details").get("rate").asDouble()).isPositive();
        assertThat(q.get("messages_details").get("rate").asDouble()).isPositive();
        assertThat(q.get("messages_unacknowledged_details").get("rate").asDouble()).isZero();
        JsonNode listed = http.json("/api/queues?page=1&page_size=10&name=stats-growing").get("items").get(0);
        assertThat(listed.get("messages_ready_details").get("rate").asDouble()).isPositive();
      });
    }
  }

  private static List<String> names(JsonNode page) {
    List<String> names = new java.util.ArrayList<>();
    page.get("items").forEach(q -> names.add(q.get("name").asText()));
    return names;
  }

  @Test
  void bytesOfMessagesPagedOutOfMemoryAreCountedAlsoAfterARestart() throws Exception {
    int n = 100;
    int size = 300;
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("stats-paged", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "stats-paged", MessageProperties.PERSISTENT_BASIC, new byte[size]);
      }
      ch.waitForConfirmsOrDie(10_000);
      assertBytes(n * size, 0);
      for (int i = 0; i < 30; i++) { // the in-memory ten and twenty paged back in
        GetResponse r = ch.basicGet("stats-paged", false);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      }
      GetResponse held = ch.basicGet("stats-paged", false);
      assertThat(held).isNotNull();
      assertBytes((n - 31) * size, size);
    }
    broker.restart(); // recovered messages are all paged out: their sizes come from the log
    http = new Http(broker.broker().management().port());
    assertBytes((n - 30) * size, 0);
  }

  private static void assertBytes(long ready, long unacked) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode q = http.json("/api/queues/%2F/stats-paged");
      assertThat(q.get("message_bytes_ready").asLong()).isEqualTo(ready);
      assertThat(q.get("message_bytes_unacknowledged").asLong()).isEqualTo(unacked);
      assertThat(q.get("message_bytes").asLong()).isEqualTo(ready + unacked);
    });
  }

  /** The API's object for this client connection, found by its local port. */
  private static JsonNode connectionOf(Connection c) throws Exception {
    for (JsonNode conn : http.json("/api/connections")) {
      if (conn.get("peer_port").asInt() == ((NetworkConnection) c).getLocalPort()) {
        return conn;
      }
    }
    throw new AssertionError("connection from port " + ((NetworkConnection) c).getLocalPort() + " not listed");
  }

  /** The API's object for the only channel of this client connection. */
  private static JsonNode channelOf(Connection c) throws Exception {
    String name = connectionOf(c).get("name").asText();
    for (JsonNode ch : http.json("/api/channels")) {
      if (ch.get("connection_details").get("name").asText().equals(name)) {
        return ch;
      }
    }
    throw new AssertionError("no channel of " + name);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
