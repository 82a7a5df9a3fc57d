package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.management.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator provisions a team over the management API while the broker runs (vhost, user, permissions, topic
 * permissions, policy, limits) and the team uses it over AMQP at once; deletions take effect at once; everything
 * survives a restart; a definitions file exported from RabbitMQ 3.10.8 imports unchanged.
 */
class TeamProvisioningIT {
  private BrokerFixture broker;
  private Http admin;

  @BeforeEach
  void start() {
    broker = BrokerFixture.start();
    admin = new Http(broker.broker().management().port());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Connection connectAs(String user, String password, String vhost) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(password);
    f.setVirtualHost(vhost);
    return f.newConnection();
  }

  private void provision() throws Exception {
    assertThat(admin.put("/api/vhosts/team-a", "{\"description\":\"Team A\"}").statusCode()).isEqualTo(201);
    assertThat(admin.put("/api/users/alice", "{\"password\":\"s3cret\",\"tags\":\"management\"}").statusCode())
        .isEqualTo(201);
    assertThat(admin.put("/api/permissions/team-a/alice", "{\"configure\":\"^alice-\",\"write\":\".*\","
        + "\"read\":\".*\"}").statusCode()).isEqualTo(201);
  }

  @Test
  void aTeamProvisionedOverHttpWorksOverAmqpAtOnce() throws Exception {
    provision();
    try (Connection c = connectAs("alice", "s3cret", "team-a")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("alice-work", true, false, false, null);
      ch.basicPublish("", "alice-work", null, "job".getBytes());
      assertThatThrownBy(() -> c.createChannel().queueDeclare("bob-work", true, false, false, null))
          .hasStackTraceContaining("403");
      Http alice = new Http(broker.broker().management().port()).as("alice", "s3cret");
      await().untilAsserted(() -> assertThat(alice.json("/api/queues/team-a/alice-work").get("messages").asInt())
          .isEqualTo(1));
      assertThat(alice.json("/api/vhosts")).extracting(v -> v.get("name").asText()).containsExactly("team-a");
      assertThat(alice.get("/api/queues/%2F").statusCode()).isEqualTo(401);
      assertThat(alice.json("/api/connections")).hasSize(1);
      assertThat(alice.get("/api/users").statusCode()).isEqualTo(401);
      assertThat(alice.put("/api/queues/team-a/alice-http", "{}").statusCode()).isEqualTo(201);
      assertThat(alice.put("/api/queues/team-a/other", "{}").statusCode()).isEqualTo(401);
    }
    try (Connection c = connectAs("alice", "s3cret", "team-a")) {
      c.createChannel().queueDeclarePassive("alice-http");
    }
    assertThatThrownBy(() -> connectAs("alice", "wrong", "team-a")).isInstanceOf(Exception.class);
  }

  @Test
  void topicPermissionsPoliciesAndLimitsApplyAtOnce() throws Exception {
    provision();
    assertThat(admin.put("/api/topic-permissions/team-a/alice", "{\"exchange\":\"amq.topic\",\"write\":\"^eu\\\\.\","
        + "\"read\":\".*\"}").statusCode()).isEqualTo(201);
    try (Connection c = connectAs("alice", "s3cret", "team-a")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("alice-q", true, false, false, null);
      ch.queueBind("alice-q", "amq.topic", "eu.#");
      ch.basicPublish("amq.topic", "eu.orders", null, "ok".getBytes());
      Channel bad = c.createChannel();
      bad.basicPublish("amq.topic", "us.orders", null, "no".getBytes());
      await().until(() -> !bad.isOpen());
      assertThat(((AMQP.Channel.Close) bad.getCloseReason().getReason()).getReplyCode()).isEqualTo(403);
      // a policy applies to the existing queue
      assertThat(admin.put("/api/policies/team-a/cap", "{\"pattern\":\"^alice-\",\"definition\":{\"max-length\":2},"
          + "\"apply-to\":\"queues\"}").statusCode()).isEqualTo(201);
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "alice-q", null, new byte[] {(byte) i});
      }
      await().untilAsserted(() -> assertThat(ch.messageCount("alice-q")).isEqualTo(2));
      assertThat(admin.json("/api/queues/team-a/alice-q").get("policy").asText()).isEqualTo("cap");
      // a vhost limit refuses the next queue as RabbitMQ does
      assertThat(admin.put("/api/vhost-limits/team-a/max-queues", "{\"value\":1}").statusCode()).isEqualTo(204);
      assertThat(admin.json("/api/vhost-limits/team-a").get(0).get("value").get("max-queues").asInt()).isEqualTo(1);
      assertThatThrownBy(() -> c.createChannel().queueDeclare("alice-2", true, false, false, null))
          .hasStackTraceContaining("406");
      assertThat(admin.delete("/api/vhost-limits/team-a/max-queues").statusCode()).isEqualTo(204);
      c.createChannel().queueDeclare("alice-2", true, false, false, null);
    }
  }

  @Test
  void deletingAUserOrVhostTakesEffectAtOnce() throws Exception {
    provision();
    Connection c = connectAs("alice", "s3cret", "team-a");
    AtomicReference<ShutdownSignalException> why = new AtomicReference<>();
    c.addShutdownListener(why::set);
    c.createChannel().queueDeclare("alice-gone", true, false, false, null);
    assertThat(admin.delete("/api/users/alice").statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> why.get() != null);
    assertThat(((AMQP.Connection.Close) why.get().getReason()).getReplyCode()).isEqualTo(320);
    assertThat(admin.get("/api/users/alice").statusCode()).isEqualTo(404);
    assertThat(admin.delete("/api/vhosts/team-a").statusCode()).isEqualTo(204);
    assertThat(admin.get("/api/queues/team-a/alice-gone").statusCode()).isEqualTo(404);
    assertThat(admin.json("/api/queues")).isEmpty();
  }

  @Test
  void whatTheApiProvisionedSurvivesARestart() throws Exception {
    provision();
    admin.put("/api/policies/team-a/ttl", "{\"pattern\":\".*\",\"definition\":{\"message-ttl\":60000}}");
    admin.put("/api/queues/team-a/alice-kept", "{\"durable\":true}");
    broker.restart();
    admin = new Http(broker.broker().management().port());
    assertThat(admin.get("/api/vhosts/team-a").statusCode()).isEqualTo(200);
    assertThat(admin.json("/api/permissions/team-a/alice").get("configure").asText()).isEqualTo("^alice-");
    assertThat(admin.json("/api/policies/team-a/ttl").get("definition").get("message-ttl").asInt()).isEqualTo(60000);
    try (Connection c = connectAs("alice", "s3cret", "team-a")) {
      c.createChannel().queueDeclarePassive("alice-kept");
    }
  }

  @Test
  void aRabbitMq310DefinitionsExportImportsUnchanged() throws Exception {
    String fixture = Files.readString(Path.of("../management/src/test/resources/rabbitmq-3.10.8-definitions.json"));
    HttpResponse<String> r = admin.post("/api/definitions", fixture);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode notApplied = Http.json(r).get("not_applied");
    assertThat(notApplied).hasSize(1);
    assertThat(notApplied.get(0).get("name").asText()).isEqualTo("qq@team-a");
    assertThat(admin.json("/api/queues/team-a/eu-orders").get("arguments").get("x-max-length").asInt())
        .isEqualTo(1000);
    assertThat(admin.json("/api/bindings/team-a/e/orders/q/eu-orders")).hasSize(1);
    assertThat(admin.json("/api/topic-permissions/team-a/alice")).hasSize(1);
    assertThat(admin.json("/api/vhost-limits/team-a").get(0).get("value").get("max-connections").asInt())
        .isEqualTo(50);
    assertThat(admin.json("/api/policies/team-a/ttl").get("pattern").asText()).isEqualTo("^eu-");
    // alice's password hash came from RabbitMQ
    try (Connection c = connectAs("alice", "s3cret", "team-a")) {
      Channel ch = c.createChannel();
      ch.basicPublish("orders", "eu.new", null, "o".getBytes());
      await().untilAsserted(() -> assertThat(ch.messageCount("eu-orders")).isEqualTo(1));
    }
    // Warren's own export imports back
    String exported = admin.get("/api/definitions").body();
    admin.delete("/api/vhosts/team-a");
    HttpResponse<String> back = admin.post("/api/definitions", exported);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(204);
    assertThat(admin.json("/api/bindings/team-a/e/orders/q/eu-orders")).hasSize(1);
    assertThat(admin.json("/api/users/alice").get("tags").get(0).asText()).isEqualTo("management");
  }
}
