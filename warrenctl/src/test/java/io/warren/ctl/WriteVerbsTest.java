package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verbs that change something: which API calls they make, with which bodies. */
class WriteVerbsTest {
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode json(String text) throws Exception {
    return ApiClient.json().readTree(text);
  }

  @Test
  void addVhostPutsItsDescription() throws Exception {
    api.on("PUT", "/api/vhosts/team%20a", 201, "");
    Run run = Run.warrenctl(api.port(), "add_vhost", "--description", "Team A", "team a");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("Adding vhost \"team a\" ...\n");
    assertThat(json(api.writes().get(0).body()).get("description").asText()).isEqualTo("Team A");
  }

  @Test
  void addUserCreatesOnlyANewUserAndReadsThePasswordFromStdinWhenNotGiven() throws Exception {
    api.on("PUT", "/api/users/bob", 201, "");
    Run run = Run.withInput(api.port(), "s3cret\n", "add_user", "bob");
    assertThat(run.code()).isZero();
    JsonNode body = json(api.writes().get(0).body());
    assertThat(body.get("password").asText()).isEqualTo("s3cret");
    assertThat(body.get("tags").asText()).isEmpty();

    api.get("/api/users/alice", "users.json");
    Run exists = Run.warrenctl(api.port(), "add_user", "alice", "x");
    assertThat(exists.code()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(exists.err()).isEqualTo("Error: user 'alice' already exists\n");
    assertThat(api.writes()).hasSize(1);
  }

  @Test
  void changePasswordKeepsTheTagsAndSetUserTagsKeepsThePassword() throws Exception {
    String alice = "{\"name\":\"alice\",\"password_hash\":\"HASH\",\"hashing_algorithm\":"
        + "\"rabbit_password_hashing_sha256\",\"tags\":[\"monitoring\",\"policymaker\"],\"limits\":{}}";
    api.on("GET", "/api/users/alice", 200, alice).on("PUT", "/api/users/alice", 204, "");
    assertThat(Run.warrenctl(api.port(), "change_password", "alice", "new").code()).isZero();
    JsonNode changed = json(api.writes().get(0).body());
    assertThat(changed.get("password").asText()).isEqualTo("new");
    assertThat(changed.get("tags").asText()).isEqualTo("monitoring,policymaker");

    assertThat(Run.warrenctl(api.port(), "set_user_tags", "alice", "administrator", "management").code()).isZero();
    JsonNode tagged = json(api.writes().get(1).body());
    assertThat(tagged.get("password_hash").asText()).isEqualTo("HASH");
    assertThat(tagged.get("hashing_algorithm").asText()).isEqualTo("rabbit_password_hashing_sha256");
    assertThat(tagged.get("tags").asText()).isEqualTo("administrator,management");
    assertThat(tagged.has("password")).isFalse();
  }

  @Test
  void permissionsInRabbitmqctlsArgumentOrder() throws Exception {
    api.on("PUT", "/api/permissions/team-a/alice", 201, "").on("DELETE", "/api/permissions/team-a/alice", 204, "")
        .on("PUT", "/api/topic-permissions/team-a/alice", 201, "");
    assertThat(Run.warrenctl(api.port(), "set_permissions", "-p", "team-a", "alice", "^alice-.*", ".*", "").code())
        .isZero();
    JsonNode body = json(api.writes().get(0).body());
    assertThat(body.get("configure").asText()).isEqualTo("^alice-.*");
    assertThat(body.get("write").asText()).isEqualTo(".*");
    assertThat(body.get("read").asText()).isEmpty();
    assertThat(Run.warrenctl(api.port(), "clear_permissions", "-p", "team-a", "alice").code()).isZero();
    assertThat(api.writes().get(1).method()).isEqualTo("DELETE");
    assertThat(Run.warrenctl(api.port(), "set_topic_permissions", "-p", "team-a", "alice", "amq.topic", "^a\\.",
        "^b\\.").code()).isZero();
    JsonNode topic = json(api.writes().get(2).body());
    assertThat(topic.get("exchange").asText()).isEqualTo("amq.topic");
    assertThat(topic.get("write").asText()).isEqualTo("^a\\.");
    assertThat(topic.get("read").asText()).isEqualTo("^b\\.");
  }

  @Test
  void clearTopicPermissionsOnOneExchangeKeepsTheOthers() throws Exception {
    api.on("GET", "/api/topic-permissions/team-a/alice", 200, "[{\"user\":\"alice\",\"vhost\":\"team-a\","
        + "\"exchange\":\"amq.topic\",\"write\":\"w1\",\"read\":\"r1\"},{\"user\":\"alice\",\"vhost\":\"team-a\","
        + "\"exchange\":\"ev\",\"write\":\"w2\",\"read\":\"r2\"}]")
        .on("DELETE", "/api/topic-permissions/team-a/alice", 204, "")
        .on("PUT", "/api/topic-permissions/team-a/alice", 201, "");
    assertThat(Run.warrenctl(api.port(), "clear_topic_permissions", "-p", "team-a", "alice", "amq.topic").code())
        .isZero();
    assertThat(api.writes()).extracting(FakeApi.Call::method).containsExactly("DELETE", "PUT");
    JsonNode kept = json(api.writes().get(1).body());
    assertThat(kept.get("exchange").asText()).isEqualTo("ev");
    assertThat(kept.get("write").asText()).isEqualTo("w2");
  }

  @Test
  void setPolicySendsPriorityApplyToAndTheParsedDefinition() throws Exception {
    api.on("PUT", "/api/policies/team-a/ttl", 201, "");
    Run run = Run.warrenctl(api.port(), "set_policy", "-p", "team-a", "--priority", "3", "--apply-to", "queues",
        "ttl", "^ttl\\.", "{\"message-ttl\": 60000}");
    assertThat(run.code()).isZero();
    JsonNode body = json(api.writes().get(0).body());
    assertThat(body.get("pattern").asText()).isEqualTo("^ttl\\.");
    assertThat(body.get("priority").asInt()).isEqualTo(3);
    assertThat(body.get("apply-to").asText()).isEqualTo("queues");
    assertThat(body.get("definition").get("message-ttl").asInt()).isEqualTo(60000);

    Run bad = Run.warrenctl(api.port(), "set_policy", "ttl", "^x", "{message-ttl: 1}");
    assertThat(bad.code()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(bad.err()).startsWith("Error: the policy definition is not valid JSON");
    assertThat(api.writes()).hasSize(1);

    api.on("DELETE", "/api/policies/team-a/ttl", 204, "");
    assertThat(Run.warrenctl(api.port(), "clear_policy", "-p", "team-a", "ttl").code()).isZero();
  }

  @Test
  void setVhostLimitsReplacesTheWholeSet() throws Exception {
    api.get("/api/vhost-limits/team-a", "vhost-limits.json")
        .on("PUT", "/api/vhost-limits/team-a/max-queues", 204, "")
        .on("DELETE", "/api/vhost-limits/team-a/max-connections", 204, "");
    Run run = Run.warrenctl(api.port(), "set_vhost_limits", "-p", "team-a", "{\"max-queues\": 7}");
    assertThat(run.code()).isZero();
    assertThat(api.writes()).extracting(c -> c.method() + " " + c.path())
        .containsExactly("PUT /api/vhost-limits/team-a/max-queues", "DELETE /api/vhost-limits/team-a/max-connections");
    assertThat(json(api.writes().get(0).body()).get("value").asInt()).isEqualTo(7);
    assertThat(Run.warrenctl(api.port(), "set_vhost_limits", "{\"max-queues\": \"seven\"}").code())
        .isEqualTo(ExitCodes.DATA_ERROR);
  }

  @Test
  void userLimitsAreSetOneByOneAndClearedAll() throws Exception {
    api.on("GET", "/api/users/alice", 200, "{\"name\":\"alice\",\"tags\":[]}")
        .on("GET", "/api/user-limits/alice", 200, "[{\"user\":\"alice\",\"value\":{\"max-channels\":5}}]")
        .on("PUT", "/api/user-limits/alice/max-connections", 204, "")
        .on("DELETE", "/api/user-limits/alice/max-channels", 204, "");
    assertThat(Run.warrenctl(api.port(), "set_user_limits", "alice", "{\"max-connections\": 2}").code()).isZero();
    assertThat(json(api.writes().get(0).body()).get("value").asInt()).isEqualTo(2);
    assertThat(Run.warrenctl(api.port(), "-q", "list_user_limits", "alice").out()).isEqualTo("{\"max-channels\":5}\n");
    assertThat(Run.warrenctl(api.port(), "clear_user_limits", "alice", "all").code()).isZero();
    assertThat(api.writes()).extracting(c -> c.method() + " " + c.path()).containsExactly(
        "PUT /api/user-limits/alice/max-connections", "DELETE /api/user-limits/alice/max-channels");
    assertThat(Run.warrenctl(api.port(), "list_user_limits", "bob").code()).isEqualTo(ExitCodes.NO_USER);
  }

  @Test
  void closeConnectionSendsTheReasonAndEncodesTheName() {
    api.on("DELETE", "/api/connections/127.0.0.1%3A51436%20-%3E%20127.0.0.1%3A5672", 204, "");
    Run run = Run.warrenctl(api.port(), "close_connection", "127.0.0.1:51436 -> 127.0.0.1:5672", "maintenance");
    assertThat(run.code()).isZero();
    assertThat(api.writes().get(0).header("X-reason")).isEqualTo("maintenance");
  }

  @Test
  void purgeAndDeleteQueue() {
    api.on("DELETE", "/api/queues/team-a/orders/contents", 204, "")
        .on("GET", "/api/queues/team-a/orders", 200, "{\"name\":\"orders\",\"messages\":12}")
        .on("DELETE", "/api/queues/team-a/orders?if-empty=true&if-unused=true", 204, "");
    assertThat(Run.warrenctl(api.port(), "purge_queue", "-p", "team-a", "orders").code()).isZero();
    Run delete = Run.warrenctl(api.port(), "delete_queue", "-p", "team-a", "-e", "-u", "orders");
    assertThat(delete.code()).isZero();
    assertThat(delete.out()).endsWith("Queue was successfully deleted with 12 messages\n");
    assertThat(api.writes()).extracting(c -> c.method() + " " + c.path()).containsExactly(
        "DELETE /api/queues/team-a/orders/contents", "DELETE /api/queues/team-a/orders?if-empty=true&if-unused=true");
  }

  @Test
  void exportAndImportDefinitionsThroughFilesAndStandardStreams(@TempDir Path dir) throws Exception {
    String definitions = FakeApi.fixture("definitions.json");
    api.on("GET", "/api/definitions", 200, definitions).on("POST", "/api/definitions", 204, "")
        .on("GET", "/api/definitions/team-a", 200, "{\"queues\":[]}")
        .on("POST", "/api/definitions/team-a", 204, "");
    Path file = dir.resolve("defs.json");
    assertThat(Run.warrenctl(api.port(), "export_definitions", file.toString()).code()).isZero();
    assertThat(json(Files.readString(file))).isEqualTo(json(definitions));
    Run stdout = Run.warrenctl(api.port(), "export_definitions", "-");
    assertThat(json(stdout.out())).isEqualTo(json(definitions));

    assertThat(Run.warrenctl(api.port(), "import_definitions", file.toString()).code()).isZero();
    assertThat(json(api.writes().get(0).body())).isEqualTo(json(definitions));
    assertThat(Run.withInput(api.port(), "{\"queues\":[]}", "-p", "team-a", "import_definitions", "-").code())
        .isZero();
    assertThat(api.writes().get(1).path()).isEqualTo("/api/definitions/team-a");

    Run missing = Run.warrenctl(api.port(), "import_definitions", dir.resolve("nope.json").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.IO_ERROR);
    Files.writeString(file, "{not json");
    assertThat(Run.warrenctl(api.port(), "import_definitions", file.toString()).code())
        .isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(api.writes()).hasSize(2);
  }

  @Test
  void whatTheBrokerCouldNotImportIsListedWithANonZeroExit(@TempDir Path dir) throws Exception {
    api.on("POST", "/api/definitions", 200, "{\"applied\":{\"queues\":1},\"not_applied\":[{\"kind\":\"queue\","
        + "\"name\":\"stream-q\",\"reason\":\"x-queue-type stream is not supported\"}]}");
    Path file = dir.resolve("defs.json");
    Files.writeString(file, "{\"queues\":[]}");
    Run run = Run.warrenctl(api.port(), "import_definitions", file.toString());
    assertThat(run.code()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).isEqualTo("Error: the definitions were imported except 1 that could not be applied:\n"
        + "  queue 'stream-q': x-queue-type stream is not supported\n");
  }

  @Test
  void credentialsGoInBasicAuth() {
    api.get("/api/vhosts", "vhosts.json");
    Run.warrenctl(api.port(), "--username", "ops", "--password", "pw", "list_vhosts");
    assertThat(api.calls.get(0).header("Authorization")).isEqualTo("Basic b3BzOnB3");
    assertThat(List.of(api.calls.get(0).headers().keySet())).isNotEmpty();
  }
}
