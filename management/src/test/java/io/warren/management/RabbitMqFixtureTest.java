package io.warren.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A definitions file exported from RabbitMQ 3.10.8 (vhost, users with limits, permissions, topic permissions, vhost
 * limits, a policy, classic and quorum queues, exchanges, queue/exchange/headers bindings) imports unchanged; what
 * cannot be applied (the quorum queue) is reported; the result exports and imports back.
 */
class RabbitMqFixtureTest {
  @Test
  void rabbitMqExportImportsAndWhatCannotBeAppliedIsReported() throws Exception {
    String fixture;
    try (InputStream in = getClass().getResourceAsStream("/rabbitmq-3.10.8-definitions.json")) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    FakeBroker broker = new FakeBroker();
    try (ManagementServer server = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 1 << 20, false, 5000,
        10), broker).start()) {
      Http http = new Http(server.port());
      HttpResponse<String> r = http.post("/api/definitions", fixture);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode report = Http.json(r);
      assertThat(report.get("not_applied")).hasSize(1);
      assertThat(report.get("not_applied").get(0).get("name").asText()).isEqualTo("qq@team-a");
      assertThat(report.get("not_applied").get(0).get("reason").asText()).contains("quorum");
      assertThat(broker.vhosts).containsKey("team-a");
      assertThat(broker.queue("team-a", "eu-orders").arguments()).containsEntry("x-max-length", 1000);
      assertThat(broker.exchange("team-a", "orders").type()).isEqualTo("topic");
      assertThat(broker.bindings(null)).hasSize(3);
      assertThat(broker.topicPermissions()).hasSize(1);
      assertThat(broker.vhostLimits().get(0).value()).containsEntry("max-connections", 50L)
          .containsEntry("max-queues", 100L);
      assertThat(broker.userLimits().get(0).value()).containsEntry("max-channels", 20L);
      assertThat(broker.policies()).singleElement().satisfies(p -> assertThat(p.definition())
          .containsEntry("message-ttl", 60000));
      // alice's hash came from RabbitMQ: her RabbitMQ password works here
      assertThat(http.as("alice", "s3cret").get("/api/whoami").statusCode()).isEqualTo(200);
      assertThat(http.as("bob", "").get("/api/whoami").statusCode()).isEqualTo(401);
      String again = http.as("guest", "guest").get("/api/definitions").body();
      FakeBroker other = new FakeBroker();
      try (ManagementServer s2 = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 1 << 20, false, 5000,
          10), other).start()) {
        assertThat(new Http(s2.port()).post("/api/definitions", again).statusCode()).isEqualTo(204);
        assertThat(other.queues(null)).hasSize(2);
        assertThat(other.bindings(null)).hasSize(3);
      }
    }
  }
}
