package io.warren.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Response;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.Stat;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API against an in-memory broker: auth, errors, CRUD, pagination, bindings, metrics, static files. */
class ManagementServerTest {
  private FakeBroker broker;
  private ManagementServer server;
  private Http http;

  @BeforeEach
  void start() {
    broker = new FakeBroker();
    server = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 4096, false, 5000, 10), broker).start();
    http = new Http(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void loginIsRequiredAndChecked() throws Exception {
    HttpResponse<String> r = http.as(null, null).get("/api/overview");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(Http.json(r).get("error").asText()).isEqualTo("not_authorised");
    assertThat(http.as("guest", "wrong").get("/api/overview").statusCode()).isEqualTo(401);
    assertThat(http.as("guest", "guest").get("/api/overview").statusCode()).isEqualTo(200);
  }

  @Test
  void tagsDecideWhatAUserMaySee() throws Exception {
    http.put("/api/users/plain", "{\"password\":\"p\",\"tags\":\"\"}");
    http.put("/api/users/mon", "{\"password\":\"p\",\"tags\":\"monitoring\"}");
    http.put("/api/users/mgmt", "{\"password\":\"p\",\"tags\":[\"management\"]}");
    http.put("/api/vhosts/team", "");
    assertThat(http.as("plain", "p").get("/api/overview").statusCode()).isEqualTo(401);
    assertThat(http.as("mgmt", "p").get("/api/overview").statusCode()).isEqualTo(200);
    assertThat(http.as("mgmt", "p").get("/api/users").statusCode()).isEqualTo(401);
    assertThat(http.as("mgmt", "p").get("/api/vhosts").body()).doesNotContain("team");
    assertThat(http.as("mon", "p").get("/api/vhosts").body()).contains("team");
    assertThat(http.as("mon", "p").get("/api/nodes").statusCode()).isEqualTo(200);
    assertThat(http.as("mon", "p").put("/api/vhosts/x", "").statusCode()).isEqualTo(401);
    assertThat(http.as("mgmt", "p").put("/api/queues/team/q", "{}").statusCode()).isEqualTo(401);
    assertThat(broker.queues(null)).isEmpty();
  }

  @Test
  void vhostsUsersAndPermissionsAreCreatedUpdatedAndDeleted() throws Exception {
    assertThat(http.put("/api/vhosts/team-a", "{\"description\":\"Team A\",\"tags\":\"a,b\"}").statusCode())
        .isEqualTo(201);
    assertThat(http.put("/api/vhosts/team-a", "{\"description\":\"Team A!\"}").statusCode()).isEqualTo(204);
    JsonNode v = Http.json(http.get("/api/vhosts/team-a"));
    assertThat(v.get("description").asText()).isEqualTo("Team A!");
    assertThat(http.put("/api/users/alice", "{\"password\":\"s3cret\",\"tags\":\"management\"}").statusCode())
        .isEqualTo(201);
    assertThat(http.put("/api/permissions/team-a/alice", "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}")
        .statusCode()).isEqualTo(201);
    JsonNode p = Http.json(http.get("/api/permissions/team-a/alice"));
    assertThat(p.get("configure").asText()).isEqualTo(".*");
    assertThat(http.as("alice", "s3cret").get("/api/whoami").body()).contains("alice");
    assertThat(http.as("alice", "s3cret").put("/api/queues/team-a/work", "{\"durable\":true}").statusCode())
        .isEqualTo(201);
    http.as("guest", "guest");
    assertThat(http.delete("/api/permissions/team-a/alice").statusCode()).isEqualTo(204);
    assertThat(http.delete("/api/permissions/team-a/alice").statusCode()).isEqualTo(404);
    assertThat(http.delete("/api/users/alice").statusCode()).isEqualTo(204);
    assertThat(http.delete("/api/vhosts/team-a").statusCode()).isEqualTo(204);
    assertThat(http.get("/api/vhosts/team-a").statusCode()).isEqualTo(404);
  }

  @Test
  void passwordHashIsAcceptedInRabbitMqLayout() throws Exception {
    // "guest" hashed by RabbitMQ's rabbit_password_hashing_sha256
    String hash = io.warren.management.api.PasswordHashes.hash("pw");
    assertThat(http.put("/api/users/bob", "{\"password_hash\":\"" + hash + "\",\"tags\":\"administrator\"}")
        .statusCode()).isEqualTo(201);
    assertThat(http.as("bob", "pw").get("/api/whoami").statusCode()).isEqualTo(200);
    http.as("guest", "guest");
    assertThat(http.put("/api/users/bob2", "{\"password_hash\":\"not base64!\"}").statusCode()).isEqualTo(400);
    assertThat(http.put("/api/users/bob3", "{\"password_hash\":\"" + hash
        + "\",\"hashing_algorithm\":\"rabbit_password_hashing_md5\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void badInputGetsAClear4xxAndChangesNothing() throws Exception {
    assertError(http.put("/api/vhosts/x", "{not json"), 400, "bad_request");
    assertError(http.put("/api/queues/%2F/q", "[1,2]"), 400, "bad_request");
    assertError(http.put("/api/queues/%2F/q", "{\"durable\":\"maybe\"}"), 400, "bad_request");
    assertError(http.put("/api/queues/nope/q", "{}"), 404, "Object Not Found");
    assertError(http.get("/api/queues/%2F/missing"), 404, "Object Not Found");
    assertError(http.get("/api/nothing-here"), 404, "Object Not Found");
    assertError(http.put("/api/permissions/%2F/guest", "{\"configure\":\"(\",\"write\":\"\",\"read\":\"\"}"), 400,
        "bad_request");
    assertError(http.put("/api/exchanges/%2F/e", "{\"type\":\"nonsense\"}"), 400, "bad_request");
    assertError(http.put("/api/policies/%2F/p", "{\"pattern\":\".*\"}"), 400, "bad_request");
    assertError(http.put("/api/vhost-limits/%2F/max-bananas", "{\"value\":1}"), 400, "bad_request");
    assertError(http.put("/api/vhost-limits/%2F/max-queues", "{\"value\":\"many\"}"), 400, "bad_request");
    assertError(http.post("/api/queues/%2F/missing/get", "{\"count\":1,\"ackmode\":\"ack_requeue_true\"}"), 404,
        "Object Not Found");
    http.put("/api/queues/%2F/q1", "{}");
    assertError(http.post("/api/queues/%2F/q1/get", "{\"count\":1}"), 400, "bad_request");
    assertError(http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"q1\"}"), 400,
        "bad_request");
    assertError(http.put("/api/vhosts/" + "v".repeat(300), ""), 400, "bad_request");
    assertError(http.get("/api/queues?page=0"), 400, "invalid_pagination_parameters");
    assertError(http.get("/api/queues?page=1&page_size=501"), 400, "invalid_pagination_parameters");
    assertError(http.put("/api/queues/%2F/amq.q", "{}"), 401, "not_authorised");
    assertError(http.get("/api/queues?page=1&name=(&use_regex=true"), 400, "bad_request");
    assertError(http.call("PATCH", "/api/overview", null), 405, "method_not_allowed");
    assertError(http.put("/api/vhosts/big", "{\"description\":\"" + "x".repeat(5000) + "\"}"), 413,
        "payload_too_large");
    assertThat(broker.vhosts()).extracting(v -> v.name()).containsExactly("/");
    assertThat(broker.queues(null)).extracting(q -> q.name()).containsExactly("q1");
    assertThat(http.get("/api/overview").statusCode()).isEqualTo(200);
  }

  private static void assertError(HttpResponse<String> r, int status, String error) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode j = Http.json(r);
    assertThat(j.get("error").asText()).isEqualTo(error);
    assertThat(j.get("reason").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
  }

  @Test
  void queuesArePagedAndFilteredAsRabbitMq() throws Exception {
    for (int i = 0; i < 25; i++) {
      http.put("/api/queues/%2F/q-" + (char) ('a' + i), "{\"durable\":true}");
    }
    JsonNode page = Http.json(http.get("/api/queues?page=2&page_size=10"));
    assertThat(page.get("filtered_count").asInt()).isEqualTo(25);
    assertThat(page.get("total_count").asInt()).isEqualTo(25);
    assertThat(page.get("item_count").asInt()).isEqualTo(10);
    assertThat(page.get("page_count").asInt()).isEqualTo(3);
    assertThat(page.get("page").asInt()).isEqualTo(2);
    assertThat(page.get("page_size").asInt()).isEqualTo(10);
    assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("q-k");
    JsonNode filtered = Http.json(http.get("/api/queues/%2F?page=1&name=q-%5Bab%5D&use_regex=true"));
    assertThat(filtered.get("filtered_count").asInt()).isEqualTo(2);
    JsonNode plain = Http.json(http.get("/api/queues?page=1&name=Q-C"));
    assertThat(plain.get("filtered_count").asInt()).isEqualTo(1);
    JsonNode sorted = Http.json(http.get("/api/queues?sort=name&sort_reverse=true"));
    assertThat(sorted.get(0).get("name").asText()).isEqualTo("q-y");
    assertThat(http.get("/api/queues?page=4&page_size=10").statusCode()).isEqualTo(400);
    JsonNode q = Http.json(http.get("/api/queues/%2F/q-a"));
    for (String f : new String[] {"messages", "messages_ready", "messages_unacknowledged", "consumers",
        "message_bytes", "message_stats", "messages_details", "durable", "auto_delete", "arguments", "vhost",
        "node", "state", "type"}) {
      assertThat(q.has(f)).as(f).isTrue();
    }
  }

  @Test
  void bindingsAreCreatedWithLocationAndDeletedByPropertiesKey() throws Exception {
    http.put("/api/exchanges/%2F/orders", "{\"type\":\"direct\",\"durable\":true}");
    http.put("/api/queues/%2F/eu", "{}");
    HttpResponse<String> created = http.post("/api/bindings/%2F/e/orders/q/eu", "{\"routing_key\":\"eu.new\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String location = "/api/bindings/%2F/e/orders/q/" + created.headers().firstValue("Location").orElseThrow();
    assertThat(location).endsWith("/eu/eu.new");
    JsonNode list = Http.json(http.get("/api/bindings/%2F/e/orders/q/eu"));
    assertThat(list.get(0).get("properties_key").asText()).isEqualTo("eu.new");
    assertThat(http.get(location).statusCode()).isEqualTo(200);
    HttpResponse<String> pub = http.post("/api/exchanges/%2F/orders/publish",
        "{\"routing_key\":\"eu.new\",\"payload\":\"hi\",\"payload_encoding\":\"string\",\"properties\":{}}");
    assertThat(Http.json(pub).get("routed").asBoolean()).isTrue();
    JsonNode got = Http.json(http.post("/api/queues/%2F/eu/get", "{\"count\":5,\"ackmode\":\"ack_requeue_false\","
        + "\"encoding\":\"auto\"}"));
    assertThat(got.get(0).get("payload").asText()).isEqualTo("hi");
    assertThat(got.get(0).get("payload_encoding").asText()).isEqualTo("string");
    assertThat(http.delete(location).statusCode()).isEqualTo(204);
    assertThat(http.delete(location).statusCode()).isEqualTo(404);
    http.post("/api/bindings/%2F/e/orders/q/eu", "{\"routing_key\":\"\",\"arguments\":{\"x\":1}}");
    String key = Http.json(http.get("/api/bindings/%2F/e/orders/q/eu")).get(0).get("properties_key").asText();
    assertThat(key).startsWith("~");
    HttpResponse<String> spaced = http.post("/api/bindings/%2F/e/orders/q/eu", "{\"routing_key\":\"a b/*\"}");
    assertThat(spaced.headers().firstValue("Location").orElseThrow()).isEqualTo("eu/a%2Bb%252F%252A");
    assertThat(http.delete("/api/bindings/%2F/e/orders/q/eu/a%2Bb%252F%252A").statusCode()).isEqualTo(204);
    assertThat(http.delete("/api/bindings/%2F/e/orders/q/eu/" + key).statusCode()).isEqualTo(204);
    assertThat(broker.bindings).isEmpty();
  }

  @Test
  void connectionsAreListedAndClosed() throws Exception {
    broker.connections.add(new ConnectionInfo("127.0.0.1:5000 -> 127.0.0.1:5672", "/", "guest", "127.0.0.1", 5000,
        "127.0.0.1", 5672, "AMQP 0-9-1", 1, 2047, 131072, 60, 0, Map.of("product", "test"), 0, 0, 0, 0, "running"));
    JsonNode list = Http.json(http.get("/api/connections"));
    assertThat(list.get(0).get("name").asText()).isEqualTo("127.0.0.1:5000 -> 127.0.0.1:5672");
    assertThat(http.delete("/api/connections/127.0.0.1%3A5000%20-%3E%20127.0.0.1%3A5672").statusCode())
        .isEqualTo(204);
    assertThat(broker.closed).hasSize(1);
    assertThat(http.delete("/api/connections/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void overviewHasRatesAndSamplesForCharts() throws Exception {
    server.sampleNow();
    broker.counters.add(Stat.PUBLISH, 50);
    broker.counters.add(Stat.DELIVER, 20);
    Thread.sleep(20);
    server.sampleNow();
    JsonNode o = Http.json(http.get("/api/overview?lengths_age=60&lengths_incr=5&msg_rates_age=60&msg_rates_incr=5"));
    assertThat(o.get("message_stats").get("publish").asLong()).isEqualTo(50);
    assertThat(o.get("message_stats").get("publish_details").get("rate").asDouble()).isGreaterThan(0);
    assertThat(o.get("message_stats").get("publish_details").get("samples").size()).isGreaterThanOrEqualTo(1);
    assertThat(o.get("message_stats").get("deliver_get").asLong()).isEqualTo(20);
    assertThat(o.get("queue_totals").get("messages_details").has("samples")).isTrue();
    assertThat(o.get("object_totals").get("queues").asInt()).isZero();
    assertThat(o.get("rabbitmq_version").asText()).isNotBlank();
  }

  @Test
  void prometheusUsesRabbitMqNames() throws Exception {
    http.put("/api/queues/%2F/metered", "{}");
    http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"metered\",\"payload\":\"x\","
        + "\"payload_encoding\":\"string\",\"properties\":{}}");
    HttpResponse<String> m = http.as(null, null).get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(m.body()).contains("rabbitmq_identity_info{rabbitmq_cluster=\"warren@test\",").contains("rabbitmq_node=\"warren@test\"")
        .contains("rabbitmq_queue_messages_ready 1.0").contains("rabbitmq_queues 1.0")
        .contains("rabbitmq_global_messages_received_total{protocol=\"amqp091\"} 1.0")
        .contains("rabbitmq_connections_opened_total").contains("rabbitmq_process_resident_memory_bytes")
        .contains("rabbitmq_disk_space_available_bytes").contains("rabbitmq_process_max_fds");
    String per = http.get("/metrics/per-object").body();
    assertThat(per).contains("rabbitmq_queue_messages_ready{queue=\"metered\",vhost=\"/\"} 1.0");
  }

  @Test
  void definitionsRoundTrip() throws Exception {
    http.put("/api/vhosts/team", "");
    http.put("/api/users/alice", "{\"password\":\"pw\",\"tags\":\"management\"}");
    http.put("/api/permissions/team/alice", "{\"configure\":\"^a\",\"write\":\".*\",\"read\":\".*\"}");
    http.put("/api/exchanges/team/ex", "{\"type\":\"topic\"}");
    http.put("/api/queues/team/q", "{\"arguments\":{\"x-max-length\":10}}");
    http.post("/api/bindings/team/e/ex/q/q", "{\"routing_key\":\"a.*\"}");
    http.put("/api/policies/team/ttl", "{\"pattern\":\"^q$\",\"definition\":{\"message-ttl\":1000},"
        + "\"apply-to\":\"queues\"}");
    http.put("/api/vhost-limits/team/max-queues", "{\"value\":10}");
    String exported = http.get("/api/definitions").body();
    FakeBroker other = new FakeBroker();
    try (ManagementServer s2 = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 1 << 20, false, 5000, 10),
        other).start()) {
      Http h2 = new Http(s2.port());
      assertThat(h2.post("/api/definitions", exported).statusCode()).isEqualTo(204);
      assertThat(other.queue("team", "q").arguments()).containsEntry("x-max-length", 10);
      assertThat(other.bindings(null)).hasSize(1);
      assertThat(other.policies()).hasSize(1);
      assertThat(other.vhostLimits()).hasSize(1);
      assertThat(h2.as("alice", "pw").get("/api/whoami").statusCode()).isEqualTo(200);
      HttpResponse<String> bad = h2.as("guest", "guest").post("/api/definitions", "{\"queues\":[{\"name\":1}]}");
      assertThat(bad.statusCode()).isEqualTo(400);
      HttpResponse<String> partial = h2.post("/api/definitions", "{\"queues\":[{\"name\":\"qq\",\"vhost\":\"team\","
          + "\"durable\":true,\"arguments\":{\"x-queue-type\":\"quorum\"}}],\"parameters\":[{\"vhost\":\"team\","
          + "\"component\":\"federation-upstream\",\"name\":\"up\",\"value\":{}}]}");
      assertThat(partial.statusCode()).isEqualTo(200);
      assertThat(Http.json(partial).get("not_applied").size()).isEqualTo(2);
    }
  }

  @Test
  void staticFilesAreServedSafely() throws Exception {
    http.as(null, null);
    HttpResponse<String> f = http.get("/fixture.txt");
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(f.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(http.get("/sub/").body()).contains("sub");
    assertThat(http.get("/sub").body()).contains("sub");
    assertThat(http.get("/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(http.get("/%2E%2E/%2E%2E/etc/passwd").statusCode()).isEqualTo(404);
    assertThat(http.get("/sub/..%2F..%2Fpom.xml").statusCode()).isEqualTo(404);
    assertThat(http.get("/io/warren/management/ManagementServer.class").statusCode()).isEqualTo(404);
    assertThat(http.get("/missing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void extensionRoutesAreServed() throws Exception {
    server.route("GET", "/ha/primary", false, r -> Response.ok(Map.of("primary", true)));
    assertThat(http.as(null, null).get("/ha/primary").body()).contains("\"primary\":true");
  }

  @Test
  void healthChecksAnswerAsRabbitMq() throws Exception {
    assertThat(http.get("/api/health/checks/alarms").body()).contains("\"status\":\"ok\"");
    assertThat(http.get("/api/health/checks/port-listener/5672").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/health/checks/port-listener/1").statusCode()).isEqualTo(503);
    assertThat(http.get("/api/health/checks/port-listener/abc").statusCode()).isEqualTo(400);
    assertThat(http.get("/api/health/checks/virtual-hosts").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/health/checks/ready-to-serve-clients").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/aliveness-test/%2F").body()).contains("\"status\":\"ok\"");
    assertThat(http.get("/api/aliveness-test/nope").statusCode()).isEqualTo(404);
  }
}
