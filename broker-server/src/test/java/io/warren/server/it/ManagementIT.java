package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.management.Http;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The management HTTP API against a real broker, driven by the JDK HttpClient and the RabbitMQ Java client. */
class ManagementIT {
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

  @Test
  void queuesAreListedWithCountsAndPages() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      for (int i = 0; i < 12; i++) {
        ch.queueDeclare("work-" + (char) ('a' + i), true, false, false, null);
      }
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "work-a", null, "hello".getBytes(StandardCharsets.UTF_8));
      }
      ch.basicConsume("work-b", false, (tag, d) -> { }, tag -> { });
      ch.basicPublish("", "work-b", null, "x".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode a = http.json("/api/queues/%2F/work-a");
        assertThat(a.get("messages_ready").asLong()).isEqualTo(3);
        assertThat(a.get("messages").asLong()).isEqualTo(3);
        JsonNode b = http.json("/api/queues/%2F/work-b");
        assertThat(b.get("consumers").asInt()).isEqualTo(1);
        assertThat(b.get("messages_unacknowledged").asLong()).isEqualTo(1);
      });
      JsonNode page = http.json("/api/queues?page=2&page_size=5&name=work-");
      assertThat(page.get("filtered_count").asInt()).isEqualTo(12);
      assertThat(page.get("page_count").asInt()).isEqualTo(3);
      assertThat(page.get("items").size()).isEqualTo(5);
      assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("work-f");
      JsonNode a = http.json("/api/queues/%2F/work-a");
      assertThat(a.get("message_stats").get("publish").asLong()).isEqualTo(3);
      JsonNode overview = http.json("/api/overview");
      assertThat(overview.get("object_totals").get("queues").asInt()).isEqualTo(12);
      assertThat(overview.get("object_totals").get("connections").asInt()).isEqualTo(1);
      assertThat(overview.get("queue_totals").get("messages").asLong()).isEqualTo(4);
      assertThat(overview.get("message_stats").get("publish").asLong()).isEqualTo(4);
    }
  }

  @Test
  void aQueueMadeOverHttpIsUsableOverAmqpAtOnce() throws Exception {
    assertThat(http.put("/api/queues/%2F/orders", "{\"durable\":true,\"arguments\":{\"x-max-length\":5}}")
        .statusCode()).isEqualTo(201);
    assertThat(http.put("/api/queues/%2F/orders", "{\"durable\":true,\"arguments\":{\"x-max-length\":5}}")
        .statusCode()).isEqualTo(204);
    HttpResponse<String> clash = http.put("/api/queues/%2F/orders", "{\"durable\":false}");
    assertThat(clash.statusCode()).isEqualTo(400);
    assertThat(clash.body()).contains("inequivalent arg 'durable'");
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("orders");
      assertThat(ok.getQueue()).isEqualTo("orders");
      for (int i = 0; i < 8; i++) {
        ch.basicPublish("", "orders", null, new byte[] {(byte) i});
      }
      await().untilAsserted(() -> assertThat(http.json("/api/queues/%2F/orders").get("messages").asInt())
          .isEqualTo(5));
    }
  }

  @Test
  void bindingsAreCreatedWithLocationAndDeletedByKey() throws Exception {
    http.put("/api/exchanges/%2F/events", "{\"type\":\"topic\",\"durable\":true}");
    http.put("/api/queues/%2F/audit", "{\"durable\":true}");
    HttpResponse<String> created = http.post("/api/bindings/%2F/e/events/q/audit", "{\"routing_key\":\"user.*\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String location = "/api/bindings/%2F/e/events/q/" + created.headers().firstValue("Location").orElseThrow();
    String key = http.json("/api/bindings/%2F/e/events/q/audit").get(0).get("properties_key").asText();
    assertThat(key).isEqualTo("user.%2A"); // RabbitMQ's properties key for "user.*"
    assertThat(location).endsWith("/audit/user.%252A"); // and its Location, relative and encoded once more
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.basicPublish("events", "user.created", null, "u".getBytes(StandardCharsets.UTF_8));
      await().untilAsserted(() -> assertThat(ch.messageCount("audit")).isEqualTo(1));
      assertThat(http.get(location).statusCode()).isEqualTo(200);
      assertThat(http.delete(location).statusCode()).isEqualTo(204);
      ch.basicPublish("events", "user.created", null, "u".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "audit", null, "marker".getBytes(StandardCharsets.UTF_8));
      await().untilAsserted(() -> assertThat(ch.messageCount("audit")).isEqualTo(2));
    }
    assertThat(http.delete(location).statusCode()).isEqualTo(404);
    JsonNode list = http.json("/api/queues/%2F/audit/bindings");
    assertThat(list).hasSize(1); // the default exchange's
  }

  @Test
  void aBindingWithArgumentsHasRabbitMqsPropertiesKeyAndIsDeletedByIt() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("docs", "headers");
      ch.queueDeclare("pdfs", false, false, false, null);
      ch.queueBind("pdfs", "docs", "", Map.of("x-match", "all", "format", "pdf"));
      String key = http.json("/api/exchanges/%2F/docs/bindings/source").get(0).get("properties_key").asText();
      assertThat(key).isEqualTo("~GdXQng"); // what RabbitMQ 3.10.8 answers for the same binding
      assertThat(http.delete("/api/bindings/%2F/e/docs/q/pdfs/" + key.replace("~", "%7E")).statusCode())
          .isEqualTo(204);
      assertThat(http.json("/api/exchanges/%2F/docs/bindings/source")).isEmpty();
      ch.basicPublish("docs", "", new AMQP.BasicProperties.Builder().headers(Map.of("format", "pdf")).build(),
          new byte[1]);
      ch.basicPublish("", "pdfs", null, "marker".getBytes(StandardCharsets.UTF_8)); // behind it, in order
      await().untilAsserted(() -> assertThat(ch.messageCount("pdfs")).isPositive());
      assertThat(new String(ch.basicGet("pdfs", true).getBody(), StandardCharsets.UTF_8)).isEqualTo("marker");
    }
  }

  @Test
  void deletingAConnectionClosesItWith320() throws Exception {
    Connection c = broker.connect();
    AtomicReference<ShutdownSignalException> why = new AtomicReference<>();
    c.addShutdownListener(why::set);
    JsonNode list = http.json("/api/connections");
    assertThat(list).hasSize(1);
    String name = list.get(0).get("name").asText();
    assertThat(list.get(0).get("user").asText()).isEqualTo("guest");
    assertThat(list.get(0).get("vhost").asText()).isEqualTo("/");
    assertThat(http.json("/api/channels")).hasSize(0);
    HttpResponse<String> r = http.delete("/api/connections/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        .replace("+", "%20"));
    assertThat(r.statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> why.get() != null);
    Object reason = why.get().getReason();
    assertThat(reason).isInstanceOf(AMQP.Connection.Close.class);
    assertThat(((AMQP.Connection.Close) reason).getReplyCode()).isEqualTo(320);
    await().untilAsserted(() -> assertThat(http.json("/api/connections")).isEmpty());
    assertThat(http.delete("/api/connections/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void messagesArePublishedAndGotOverHttp() throws Exception {
    http.put("/api/queues/%2F/inbox", "{\"durable\":false}");
    HttpResponse<String> pub = http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"inbox\","
        + "\"payload\":\"hi there\",\"payload_encoding\":\"string\",\"properties\":{\"content_type\":\"text/plain\","
        + "\"headers\":{\"k\":\"v\"}}}");
    assertThat(Http.json(pub).get("routed").asBoolean()).isTrue();
    JsonNode peek = Http.json(http.post("/api/queues/%2F/inbox/get",
        "{\"count\":5,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}"));
    assertThat(peek).hasSize(1);
    assertThat(peek.get(0).get("payload").asText()).isEqualTo("hi there");
    assertThat(peek.get(0).get("properties").get("content_type").asText()).isEqualTo("text/plain");
    assertThat(peek.get(0).get("properties").get("headers").get("k").asText()).isEqualTo("v");
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      GetResponse g = ch.basicGet("inbox", true);
      assertThat(new String(g.getBody(), StandardCharsets.UTF_8)).isEqualTo("hi there");
      assertThat(g.getEnvelope().isRedeliver()).isTrue();
    }
    http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"inbox\",\"payload\":\"AAEC\","
        + "\"payload_encoding\":\"base64\",\"properties\":{}}");
    JsonNode taken = Http.json(http.post("/api/queues/%2F/inbox/get",
        "{\"count\":1,\"ackmode\":\"ack_requeue_false\",\"encoding\":\"base64\"}"));
    assertThat(taken.get(0).get("payload").asText()).isEqualTo("AAEC");
    assertThat(http.json("/api/queues/%2F/inbox").get("messages").asInt()).isZero();
    http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"inbox\",\"payload\":\"x\","
        + "\"payload_encoding\":\"string\",\"properties\":{}}");
    assertThat(http.delete("/api/queues/%2F/inbox/contents").statusCode()).isEqualTo(204);
    await().untilAsserted(() -> assertThat(http.json("/api/queues/%2F/inbox").get("messages").asInt()).isZero());
    assertThat(Http.json(http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"nowhere\","
        + "\"payload\":\"x\",\"payload_encoding\":\"string\",\"properties\":{}}")).get("routed").asBoolean()).isFalse();
  }

  @Test
  void prometheusHasRabbitMqNames() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("metered", false, false, false, null);
      ch.basicPublish("", "metered", null, new byte[10]);
      await().untilAsserted(() -> assertThat(http.as(null, null).get("/metrics").body())
          .contains("rabbitmq_queue_messages_ready 1.0"));
      String m = http.get("/metrics").body();
      assertThat(m).contains("rabbitmq_identity_info{").contains("rabbitmq_node=\"warren@")
          .contains("rabbitmq_connections 1.0").contains("rabbitmq_channels 1.0").contains("rabbitmq_queues 1.0")
          .contains("rabbitmq_global_messages_received_total{protocol=\"amqp091\"} 1.0")
          .contains("rabbitmq_connections_opened_total 1.0").contains("rabbitmq_resident_memory_limit_bytes")
          .contains("rabbitmq_disk_space_available_bytes").contains("rabbitmq_process_open_fds");
      assertThat(m).contains("rabbitmq_queue_messages_bytes 10.0").contains("rabbitmq_queue_messages_ready_bytes 10.0")
          .contains("rabbitmq_queue_messages_unacked_bytes 0.0");
      assertThat(http.get("/metrics/per-object").body())
          .contains("rabbitmq_queue_messages_ready{queue=\"metered\",vhost=\"/\"} 1.0")
          .contains("rabbitmq_queue_messages_bytes{queue=\"metered\",vhost=\"/\"} 10.0")
          .contains("rabbitmq_queue_messages_ready_bytes{queue=\"metered\",vhost=\"/\"} 10.0");
    }
  }

  @Test
  void queueBytesFollowMessagesAndConnectionsCountSocketBytes() throws Exception {
    int n = 7;
    int size = 1000;
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("sized", false, false, false, null);
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "sized", null, new byte[size]);
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode q = http.json("/api/queues/%2F/sized");
        assertThat(q.get("messages_ready").asLong()).isEqualTo(n);
        assertThat(q.get("message_bytes").asLong()).isEqualTo((long) n * size);
        assertThat(q.get("message_bytes_ready").asLong()).isEqualTo((long) n * size);
        assertThat(q.get("message_bytes_unacknowledged").asLong()).isZero();
      });
      GetResponse first = ch.basicGet("sized", false);
      ch.basicGet("sized", false);
      ch.basicGet("sized", false);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode q = http.json("/api/queues/%2F/sized");
        assertThat(q.get("message_bytes").asLong()).isEqualTo((long) n * size);
        assertThat(q.get("message_bytes_ready").asLong()).isEqualTo((long) (n - 3) * size);
        assertThat(q.get("message_bytes_unacknowledged").asLong()).isEqualTo(3L * size);
      });
      ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
      ch.basicNack(first.getEnvelope().getDeliveryTag() + 1, false, true); // back to ready
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode q = http.json("/api/queues/%2F/sized");
        assertThat(q.get("message_bytes_ready").asLong()).isEqualTo((long) (n - 2) * size);
        assertThat(q.get("message_bytes_unacknowledged").asLong()).isEqualTo(1L * size);
      });
      ch.queuePurge("sized");
      ch.close(); // the last unacked one goes back, then is the only one left
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode q = http.json("/api/queues/%2F/sized");
        assertThat(q.get("message_bytes_ready").asLong()).isEqualTo(size);
        assertThat(q.get("message_bytes_unacknowledged").asLong()).isZero();
      });
      JsonNode conn = http.json("/api/connections").get(0);
      assertThat(conn.get("recv_oct").asLong()).isGreaterThan((long) n * size);
      assertThat(conn.get("recv_cnt").asLong()).isPositive();
      // connection.start, tune, open-ok and three basic.get-ok with 1000-byte bodies at least
      assertThat(conn.get("send_oct").asLong()).isGreaterThan(3L * size);
      assertThat(conn.get("send_cnt").asLong()).isPositive();
    }
  }

  @Test
  void badInputGetsA4xxAndChangesNothing() throws Exception {
    Map<String, String[]> calls = new java.util.LinkedHashMap<>();
    calls.put("PUT /api/queues/%2F/q1", new String[] {"{\"durable\":", "400"});
    calls.put("PUT /api/queues/%2F/q2", new String[] {"{\"arguments\":{\"x-max-length\":\"lots\"}}", "400"});
    calls.put("PUT /api/queues/%2F/amq.q", new String[] {"{}", "401"});
    calls.put("PUT /api/queues/nohost/q", new String[] {"{}", "404"});
    calls.put("PUT /api/exchanges/%2F/e1", new String[] {"{\"type\":\"fanciful\"}", "400"});
    calls.put("PUT /api/exchanges/%2F/amq.e", new String[] {"{\"type\":\"direct\"}", "401"});
    calls.put("POST /api/bindings/%2F/e/amq.direct/q/missing", new String[] {"{}", "404"});
    calls.put("POST /api/bindings/%2F/e/missing/q/missing", new String[] {"{}", "404"});
    calls.put("DELETE /api/queues/%2F/missing", new String[] {null, "404"});
    calls.put("DELETE /api/exchanges/%2F/amq.direct", new String[] {null, "401"});
    calls.put("POST /api/queues/%2F/missing/get", new String[] {"{\"count\":1,\"ackmode\":\"ack_requeue_true\"}",
        "404"});
    calls.put("POST /api/exchanges/%2F/amq.direct/publish", new String[] {"{\"payload\":1}", "400"});
    calls.put("POST /api/definitions", new String[] {"{\"queues\":\"nope\"}", "400"});
    calls.put("GET /api/queues?page=0", new String[] {null, "400"});
    calls.put("PUT /api/users/bob", new String[] {"{\"tags\":\"management\"}", "400"});
    calls.put("PUT /api/users/bob%00", new String[] {"{\"password\":\"x\"}", "400"});
    calls.put("PUT /api/permissions/nohost/guest", new String[] {"{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}",
        "404"});
    calls.put("PUT /api/policies/%2F/p", new String[] {"{\"pattern\":\".*\",\"definition\":{\"message-ttl\":-5}}",
        "400"});
    calls.put("PUT /api/policies/%2F/p2", new String[] {"{\"pattern\":\".*\",\"definition\":{\"bananas\":1}}",
        "400"});
    calls.put("PUT /api/vhost-limits/%2F/max-queues", new String[] {"{\"value\":\"x\"}", "400"});
    calls.put("DELETE /api/vhosts/nohost", new String[] {null, "404"});
    for (Map.Entry<String, String[]> e : calls.entrySet()) {
      String[] mp = e.getKey().split(" ", 2);
      HttpResponse<String> r = http.call(mp[0], mp[1], e.getValue()[0]);
      assertThat(r.statusCode()).as(e.getKey() + " " + r.body()).isEqualTo(Integer.parseInt(e.getValue()[1]));
      JsonNode j = Http.json(r);
      assertThat(j.get("reason").asText()).as(e.getKey()).isNotBlank().doesNotContain("Exception");
    }
    assertThat(http.as("guest", "bad").get("/api/overview").statusCode()).isEqualTo(401);
    http.as("guest", "guest");
    JsonNode queues = http.json("/api/queues");
    assertThat(queues).isEmpty();
    assertThat(http.json("/api/users")).hasSize(1);
    assertThat(http.json("/api/policies")).isEmpty();
    assertThat(http.json("/api/vhosts")).hasSize(1);
    try (Connection c = broker.connect()) {
      assertThat(c.createChannel().queueDeclare("still-fine", false, true, true, null).getQueue())
          .isEqualTo("still-fine");
    }
  }

  @Test
  void whatTheApiCreatedSurvivesARestart() throws Exception {
    http.put("/api/exchanges/%2F/keep-x", "{\"type\":\"direct\",\"durable\":true}");
    http.put("/api/queues/%2F/keep-q", "{\"durable\":true}");
    http.post("/api/bindings/%2F/e/keep-x/q/keep-q", "{\"routing_key\":\"k\"}");
    http.post("/api/exchanges/%2F/keep-x/publish", "{\"routing_key\":\"k\",\"payload\":\"p\",\"payload_encoding\":"
        + "\"string\",\"properties\":{\"delivery_mode\":2}}");
    broker.restart();
    http = new Http(broker.broker().management().port());
    assertThat(http.get("/api/exchanges/%2F/keep-x").statusCode()).isEqualTo(200);
    // a recovered queue takes its messages back on its own executor, just after the broker is up
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(http.json("/api/queues/%2F/keep-q").get("messages").asInt()).isEqualTo(1));
    assertThat(http.json("/api/bindings/%2F/e/keep-x/q/keep-q")).hasSize(1);
  }

  @Test
  void definitionsRoundTripThroughExportAndImport() throws Exception {
    http.put("/api/exchanges/%2F/dx", "{\"type\":\"fanout\",\"durable\":true}");
    http.put("/api/queues/%2F/dq", "{\"durable\":true,\"arguments\":{\"x-message-ttl\":60000}}");
    http.post("/api/bindings/%2F/e/dx/q/dq", "{\"routing_key\":\"\"}");
    String exported = http.get("/api/definitions").body();
    JsonNode doc = Http.json(http.get("/api/definitions"));
    assertThat(doc.get("queues").get(0).get("name").asText()).isEqualTo("dq");
    assertThat(doc.get("queues").get(0).get("arguments").get("x-message-ttl").asInt()).isEqualTo(60000);
    assertThat(doc.get("users").get(0).get("hashing_algorithm").asText()).isEqualTo("rabbit_password_hashing_sha256");
    http.delete("/api/queues/%2F/dq");
    http.delete("/api/exchanges/%2F/dx");
    assertThat(http.get("/api/queues/%2F/dq").statusCode()).isEqualTo(404);
    HttpResponse<String> imported = http.post("/api/definitions/%2F", Http.json(http.get(
        "/api/definitions")).size() > 0 ? vhostPart(exported) : exported);
    assertThat(imported.statusCode()).as(imported.body()).isIn(200, 204);
    assertThat(http.json("/api/queues/%2F/dq").get("arguments").get("x-message-ttl").asInt()).isEqualTo(60000);
    assertThat(http.json("/api/bindings/%2F/e/dx/q/dq")).hasSize(1);
  }

  @Test
  void aDefinitionsFileNamedInTheConfigIsAppliedAtStart() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("warren-defs", ".json");
    try {
      java.nio.file.Files.writeString(file, "{\"rabbit_version\":\"3.10.8\",\"exchanges\":[{\"name\":\"boot-x\","
          + "\"vhost\":\"/\",\"type\":\"direct\",\"durable\":true,\"auto_delete\":false,\"internal\":false,"
          + "\"arguments\":{}}],\"queues\":[{\"name\":\"boot-q\",\"vhost\":\"/\",\"durable\":true,"
          + "\"auto_delete\":false,\"arguments\":{\"x-max-length\":7}},{\"name\":\"boot-qq\",\"vhost\":\"/\","
          + "\"durable\":true,\"auto_delete\":false,\"arguments\":{\"x-queue-type\":\"quorum\"}}],"
          + "\"bindings\":[{\"source\":\"boot-x\",\"vhost\":\"/\",\"destination\":\"boot-q\","
          + "\"destination_type\":\"queue\",\"routing_key\":\"k\",\"arguments\":{}}]}");
      try (BrokerFixture b = BrokerFixture.start(c -> c.withHttp(new io.warren.server.config.BrokerConfig.Http(true,
          "127.0.0.1", 0, 1 << 20, false, file.toString())))) {
        try (Connection c = b.connect()) {
          Channel ch = c.createChannel();
          ch.queueDeclarePassive("boot-q");
          ch.basicPublish("boot-x", "k", null, new byte[1]);
          await().untilAsserted(() -> assertThat(ch.messageCount("boot-q")).isEqualTo(1));
          assertThatThrownBy(() -> c.createChannel().queueDeclarePassive("boot-qq")).isInstanceOf(Exception.class);
        }
      }
      java.nio.file.Files.writeString(file, "{\"queues\": 12}");
      assertThatThrownBy(() -> BrokerFixture.start(c -> c.withHttp(new io.warren.server.config.BrokerConfig.Http(
          true, "127.0.0.1", 0, 1 << 20, false, file.toString())))).hasMessageContaining("is not valid");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  private static String vhostPart(String exported) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode all = (com.fasterxml.jackson.databind.node.ObjectNode)
        m.readTree(exported);
    com.fasterxml.jackson.databind.node.ObjectNode part = m.createObjectNode();
    for (String k : new String[] {"queues", "exchanges", "bindings", "policies"}) {
      part.set(k, all.get(k));
    }
    return m.writeValueAsString(part);
  }
}
