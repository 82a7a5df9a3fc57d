package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitConnectionClosed;
import static io.warren.server.it.CloseReasons.channelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.ctl.Warrenctl;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * warrenctl against a real broker's management API: its main entry point runs in-process (stdout, stderr and exit
 * code captured), and the RabbitMQ Java client checks the effects over AMQP. One broker for the class: each test
 * uses its own queue and exchange names.
 */
class WarrenctlIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static BrokerFixture broker;

  /** What one warrenctl invocation printed and returned. */
  private record Run(int code, String out, String err) {
  }

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private Run ctl(String... args) {
    return ctlWithInput("", args);
  }

  private Run ctlWithInput(String stdin, String... args) {
    return ctlOn(broker.broker().management().port(), stdin, args);
  }

  private static Run ctlOn(int port, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Warrenctl.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        new BufferedReader(new StringReader(stdin)));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run ok(Run run) {
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
    return run;
  }

  @Test
  void listQueuesShowsWhatAClientDeclaredAndPublished() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("orders", true, false, false, Map.of("x-max-length", 100));
      ch.queueDeclare("audit", false, false, false, null);
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "orders", null, ("order " + i).getBytes(StandardCharsets.UTF_8));
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(ok(ctl("-q", "list_queues", "name", "messages", "durable")).out())
              .contains("orders\t3\ttrue\n", "audit\t0\tfalse\n").startsWith("name\tmessages\tdurable\n"));
      Run json = ok(ctl("list_queues", "--formatter", "json", "name", "messages_ready", "arguments"));
      JsonNode rows = JSON.readTree(json.out());
      JsonNode orders = null;
      for (JsonNode row : rows) {
        if (row.get("name").asText().equals("orders")) {
          orders = row;
        }
      }
      assertThat(orders).isNotNull();
      assertThat(orders.get("messages_ready").asInt()).isEqualTo(3);
      assertThat(orders.get("arguments").get("x-max-length").asInt()).isEqualTo(100);
      assertThat(ok(ctl("list_queues")).out()).startsWith("Listing queues for vhost / ...\nname\tmessages\n");
    }
  }

  @Test
  void connectionsChannelsAndConsumersAreListedAndAConnectionIsClosedWithTheReason() throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setClientProperties(Map.of("connection_name", "billing-worker"));
    try (Connection bystander = broker.connect()) {
      Connection victim = factory.newConnection();
      Channel ch = victim.createChannel();
      ch.queueDeclare("jobs", false, false, false, null);
      ch.basicQos(7);
      ch.basicConsume("jobs", false, "worker-1", (tag, d) -> { }, tag -> { });
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(ok(ctl("-q", "list_connections", "client_properties.connection_name", "user", "vhost", "channels"))
              .out())
              .contains("billing-worker\tguest\t/\t1\n"));
      assertThat(ok(ctl("-q", "list_consumers", "queue_name", "consumer_tag", "ack_required", "prefetch_count"))
          .out()).contains("jobs\tworker-1\ttrue\t7\n");
      assertThat(ok(ctl("-q", "list_channels", "user", "consumer_count", "prefetch_count")).out())
          .contains("guest\t1\t7\n");

      String name = null;
      JsonNode connections = JSON.readTree(ok(ctl("list_connections", "--formatter", "json", "name",
          "client_properties")).out());
      for (JsonNode row : connections) {
        if ("billing-worker".equals(row.path("client_properties").path("connection_name").asText())) {
          name = row.get("name").asText();
        }
      }
      assertThat(name).isNotNull();
      Run close = ok(ctl("close_connection", name, "maintenance window"));
      assertThat(close.out()).isEqualTo("Closing connection " + name + ", reason: maintenance window...\n");
      AMQP.Connection.Close reason = awaitConnectionClosed(victim);
      assertThat(reason.getReplyCode()).isEqualTo(320);
      assertThat(reason.getReplyText()).contains("maintenance window");
      assertThat(bystander.isOpen()).isTrue();

      Run again = ctl("close_connection", name, "twice");
      assertThat(again.code()).isEqualTo(69);
      assertThat(again.err()).startsWith("Error: connection '" + name + "' does not exist");
    }
  }

  @Test
  void purgeAndDeleteQueue() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("backlog", true, false, false, null);
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "backlog", null, "x".getBytes(StandardCharsets.UTF_8));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive("backlog").getMessageCount() == 5);
      Run refused = ctl("delete_queue", "--if-empty", "backlog");
      assertThat(refused.code()).as(refused.err()).isNotZero();
      assertThat(ch.queueDeclarePassive("backlog").getMessageCount()).isEqualTo(5);

      assertThat(ok(ctl("purge_queue", "backlog")).out()).isEqualTo("Purging queue 'backlog' in vhost '/' ...\n");
      assertThat(ch.queueDeclarePassive("backlog").getMessageCount()).isZero();

      ch.basicPublish("", "backlog", null, "y".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive("backlog").getMessageCount() == 1);
      assertThat(ok(ctl("delete_queue", "backlog")).out()).endsWith("Queue was successfully deleted with 1 messages\n");
      AMQP.Channel.Close gone = channelError(() -> c.createChannel().queueDeclarePassive("backlog"));
      assertThat(gone.getReplyCode()).isEqualTo(404);

      Run missing = ctl("purge_queue", "backlog");
      assertThat(missing.code()).isEqualTo(69);
      assertThat(missing.err()).isEqualTo("Error: queue 'backlog' does not exist in vhost '/'\n");
    }
  }

  @Test
  void exportedDefinitionsImportBackAndRestoreTheTopology(@TempDir Path dir) throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("events", "topic", true);
      ch.queueDeclare("billing", true, false, false, Map.of("x-message-ttl", 60000));
      ch.queueBind("billing", "events", "invoice.#");
      Path file = dir.resolve("definitions.json");
      Run export = ok(ctl("export_definitions", file.toString()));
      assertThat(export.out()).contains(file.toString());
      JsonNode definitions = JSON.readTree(Files.readString(file));
      assertThat(definitions.get("queues").toString()).contains("billing");
      assertThat(definitions.get("exchanges").toString()).contains("events");
      assertThat(JSON.readTree(ok(ctl("export_definitions", "-")).out())).isEqualTo(definitions);

      ok(ctl("delete_queue", "billing"));
      Run imported = ok(ctlWithInput(Files.readString(file), "-p", "/", "import_definitions", "-"));
      assertThat(imported.err()).isEmpty();
      Channel check = c.createChannel();
      assertThat(check.queueDeclarePassive("billing").getMessageCount()).isZero();
      check.basicPublish("events", "invoice.paid", null, "paid".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> check.queueDeclarePassive("billing").getMessageCount() == 1);
      assertThat(ok(ctl("-q", "list_bindings", "source_name", "destination_name", "routing_key")).out())
          .contains("events\tbilling\tinvoice.#\n");
    }
  }

  @Test
  void readVerbsShowTheConfiguredVhostsUsersAndPermissions() throws Exception {
    assertThat(ok(ctl("-q", "list_vhosts")).out()).contains("\n/\n");
    assertThat(ok(ctl("-q", "list_users")).out()).contains("guest\t[administrator]");
    assertThat(ok(ctl("-q", "list_permissions")).out()).contains("guest\t.*\t.*\t.*\n");
    assertThat(ok(ctl("-q", "list_user_permissions", "guest")).out()).contains("/\t.*\t.*\t.*\n");
    assertThat(ok(ctl("-q", "list_exchanges")).out()).contains("amq.topic\ttopic\n");
    Run status = ok(ctl("status"));
    assertThat(status.out()).contains("Listeners", "port: " + broker.port() + ", protocol: amqp");
    JsonNode json = JSON.readTree(ok(ctl("status", "--formatter", "json")).out());
    assertThat(json.get("product_name").asText()).isEqualTo("Warren");
  }

  @Test
  void provisionATeamAndUseItOverAmqpAtOnce() throws Exception {
    ok(ctl("add_vhost", "--description", "Team A", "team-a"));
    ok(ctlWithInput("s3cret\n", "add_user", "alice"));
    ok(ctl("set_user_tags", "alice", "monitoring"));
    ok(ctl("set_permissions", "-p", "team-a", "alice", "^alice-.*", ".*", ".*"));
    assertThat(ok(ctl("-q", "list_vhosts", "name", "description")).out()).contains("team-a\tTeam A\n");
    assertThat(ok(ctl("-q", "list_users")).out()).contains("alice\t[monitoring]\n");
    assertThat(ok(ctl("-q", "-p", "team-a", "list_permissions")).out()).contains("alice\t^alice-.*\t.*\t.*\n");
    Run again = ctl("add_user", "alice", "other");
    assertThat(again.code()).isEqualTo(70);

    ConnectionFactory asAlice = broker.factory();
    asAlice.setVirtualHost("team-a");
    asAlice.setUsername("alice");
    asAlice.setPassword("s3cret");
    Connection alice = asAlice.newConnection();
    try {
      Channel ch = alice.createChannel();
      ch.queueDeclare("alice-work", true, false, false, null);
      assertThat(channelError(() -> alice.createChannel().queueDeclare("bob-work", true, false, false, null))
          .getReplyCode()).isEqualTo(403);
      assertThat(ok(ctl("-q", "-p", "team-a", "list_queues", "name")).out()).contains("alice-work\n");

      ok(ctl("set_topic_permissions", "-p", "team-a", "alice", "amq.topic", "^alice\\.", "^alice\\."));
      assertThat(ok(ctl("-q", "-p", "team-a", "list_topic_permissions")).out())
          .contains("alice\tamq.topic\t^alice\\.\t^alice\\.\n");
      Channel topic = alice.createChannel();
      topic.basicPublish("amq.topic", "bob.news", null, "x".getBytes(StandardCharsets.UTF_8));
      assertThat(CloseReasons.awaitChannelClosed(topic).getReplyCode()).isEqualTo(403);

      ok(ctl("change_password", "alice", "n3w"));
      assertThat(ctl("authenticate_user", "alice", "n3w").code()).isZero();
      assertThat(ctl("authenticate_user", "alice", "s3cret").code()).isEqualTo(65);

      ok(ctl("delete_user", "alice"));
      assertThat(awaitConnectionClosed(alice).getReplyCode()).isEqualTo(320);
    } finally {
      if (alice.isOpen()) {
        alice.close();
      }
    }
    ok(ctl("delete_vhost", "team-a"));
    assertThat(ok(ctl("-q", "list_vhosts")).out()).doesNotContain("team-a");
    assertThat(ctl("-p", "team-a", "list_queues").code()).isEqualTo(69);
  }

  @Test
  void vhostLimitsAreEnforcedAndCleared() throws Exception {
    ok(ctl("add_vhost", "limited"));
    ok(ctl("set_permissions", "-p", "limited", "guest", ".*", ".*", ".*"));
    ok(ctl("set_vhost_limits", "-p", "limited", "{\"max-connections\": 1}"));
    assertThat(ok(ctl("-q", "-p", "limited", "list_vhost_limits")).out()).isEqualTo("{\"max-connections\":1}\n");
    ConnectionFactory factory = broker.factory();
    factory.setVirtualHost("limited");
    try (Connection first = factory.newConnection()) {
      assertThat(catchThrowable(factory::newConnection)).isNotNull();
      ok(ctl("clear_vhost_limits", "-p", "limited"));
      assertThat(ok(ctl("-q", "-p", "limited", "list_vhost_limits")).out()).isEqualTo("{}\n");
      factory.newConnection().close();
      assertThat(first.isOpen()).isTrue();
    }
    ok(ctl("delete_vhost", "limited"));
  }

  @Test
  void aPolicyAppliesToAnExistingQueue() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("capped.orders", true, false, false, null);
      ok(ctl("set_policy", "--apply-to", "queues", "--priority", "1", "cap", "^capped\\.", "{\"max-length\": 2}"));
      assertThat(ok(ctl("-q", "list_policies", "name", "pattern", "apply-to", "definition", "priority")).out())
          .contains("cap\t^capped\\.\tqueues\t{\"max-length\":2}\t1\n");
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "capped.orders", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive("capped.orders").getMessageCount() == 2);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(ok(ctl("-q", "list_queues", "name", "policy")).out()).contains("capped.orders\tcap\n"));
      ok(ctl("clear_policy", "cap"));
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "capped.orders", null, ("n" + i).getBytes(StandardCharsets.UTF_8));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive("capped.orders").getMessageCount() == 5);
      assertThat(ctl("clear_policy", "cap").code()).isEqualTo(69);
    }
  }

  @Test
  void definitionsRoundTripBringsBackAVhostItsUserAndPermissions(@TempDir Path dir) throws Exception {
    ok(ctl("add_vhost", "team-b"));
    ok(ctl("add_user", "bob", "b0b"));
    ok(ctl("set_permissions", "-p", "team-b", "bob", ".*", ".*", ".*"));
    ConnectionFactory asBob = broker.factory();
    asBob.setVirtualHost("team-b");
    asBob.setUsername("bob");
    asBob.setPassword("b0b");
    try (Connection bob = asBob.newConnection()) {
      bob.createChannel().queueDeclare("bob-inbox", true, false, false, null);
    }
    Path file = dir.resolve("all.json");
    ok(ctl("export_definitions", file.toString()));
    ok(ctl("delete_vhost", "team-b"));
    ok(ctl("delete_user", "bob"));
    assertThat(catchThrowable(asBob::newConnection)).isNotNull();

    ok(ctl("import_definitions", file.toString()));
    try (Connection bob = asBob.newConnection()) {
      assertThat(bob.createChannel().queueDeclarePassive("bob-inbox").getMessageCount()).isZero();
    }
    ok(ctl("delete_vhost", "team-b"));
    ok(ctl("delete_user", "bob"));
  }

  @Test
  void errorsAreOneLineWithRabbitmqctlsExitCodes() throws Exception {
    Run badPassword = ctl("--password", "wrong", "list_queues");
    assertThat(badPassword.code()).isEqualTo(77);
    assertThat(badPassword.err()).startsWith("Error: authentication failed for user 'guest'");
    Run noVhost = ctl("list_queues", "-p", "no-such-vhost");
    assertThat(noVhost.code()).isEqualTo(69);
    assertThat(noVhost.err()).isEqualTo("Error: vhost 'no-such-vhost' does not exist\n");
    Run noUser = ctl("list_user_permissions", "nobody");
    assertThat(noUser.code()).isEqualTo(67);
    Run badColumn = ctl("list_queues", "bogus");
    assertThat(badColumn.code()).isEqualTo(64);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run unreachable = ctlOn(closedPort, "", "list_queues");
    assertThat(unreachable.code()).isEqualTo(69);
    assertThat(unreachable.err()).startsWith("Error: cannot reach the management API at http://127.0.0.1:"
        + closedPort + "/api/");
  }
}
