package io.warren.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RabbitMQ's "tracing" field of /api/vhosts: shown per vhost, switched by PUT, not exported as a definition. */
class VhostTracingTest {
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

  private JsonNode vhost(String name) throws Exception {
    for (JsonNode v : http.json("/api/vhosts")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no vhost " + name + " in /api/vhosts");
  }

  @Test
  void tracingIsOffUntilPutAndAPutOfTracingAloneKeepsTheMetadata() throws Exception {
    assertThat(http.put("/api/vhosts/team", "{\"description\":\"Team\",\"tags\":\"a\"}").statusCode()).isEqualTo(201);
    assertThat(vhost("team").get("tracing").isBoolean()).isTrue();
    assertThat(vhost("team").get("tracing").asBoolean()).isFalse();

    assertThat(http.put("/api/vhosts/team", "{\"tracing\":true}").statusCode()).isEqualTo(204);
    assertThat(broker.tracing("team")).isTrue();
    assertThat(broker.tracing("/")).isFalse();
    JsonNode team = http.json("/api/vhosts/team");
    assertThat(team.get("tracing").asBoolean()).isTrue();
    assertThat(team.get("description").asText()).isEqualTo("Team");
    assertThat(team.get("tags").get(0).asText()).isEqualTo("a");
    assertThat(vhost("team").get("tracing").asBoolean()).isTrue();
    assertThat(vhost("/").get("tracing").asBoolean()).isFalse();

    // a full definition without "tracing" leaves the tracer as it is
    assertThat(http.put("/api/vhosts/team", "{\"description\":\"Team!\"}").statusCode()).isEqualTo(204);
    assertThat(broker.tracing("team")).isTrue();
    assertThat(http.put("/api/vhosts/team", "{\"tracing\":\"false\"}").statusCode()).isEqualTo(204);
    assertThat(broker.tracing("team")).isFalse();
    assertThat(http.json("/api/vhosts/team").get("description").asText()).isEqualTo("Team!");

    assertThat(http.json("/api/definitions").get("vhosts").toString()).doesNotContain("tracing");
  }

  @Test
  void aNewVhostMayStartTracedAndABadValueIsRefused() throws Exception {
    assertThat(http.put("/api/vhosts/debug", "{\"tracing\":true}").statusCode()).isEqualTo(201);
    assertThat(broker.tracing("debug")).isTrue();
    assertThat(broker.permissions()).anyMatch(p -> p.vhost().equals("debug") && p.user().equals("guest"));

    var bad = http.put("/api/vhosts/debug", "{\"tracing\":\"yes\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Http.json(bad).get("reason").asText()).contains("tracing");
    assertThat(broker.tracing("debug")).isTrue();
    assertThat(http.as("guest", "guest").put("/api/vhosts/debug", "{\"tracing\":false}").statusCode())
        .isEqualTo(204);
    assertThat(broker.tracing("debug")).isFalse();
  }
}
