package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The list verbs against RabbitMQ 3.10.8's recorded answers: columns, aliases, table and JSON output. */
class ListVerbsTest {
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi()
        .get("/api/queues/team-a", "queues.json")
        .get("/api/exchanges/team-a", "exchanges.json")
        .get("/api/bindings/team-a", "bindings.json")
        .get("/api/connections", "connections.json")
        .get("/api/channels", "channels.json")
        .get("/api/consumers/team-a", "consumers.json")
        .get("/api/vhosts", "vhosts.json")
        .get("/api/users", "users.json")
        .get("/api/vhosts/team-a/permissions", "vhost-permissions.json")
        .get("/api/users/alice/permissions", "user-permissions.json")
        .get("/api/vhosts/team-a/topic-permissions", "topic-permissions.json")
        .get("/api/policies/team-a", "policies.json")
        .get("/api/vhost-limits/team-a", "vhost-limits.json")
        .get("/api/overview", "overview.json")
        .get("/api/nodes", "nodes.json");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void listQueuesPrintsTheBannerAndRabbitmqctlsDefaultColumns() {
    Run run = Run.warrenctl(api.port(), "list_queues", "-p", "team-a");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("Listing queues for vhost team-a ...\nname\tmessages\norders\t3\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void columnsMayComeSpaceOrCommaSeparatedAndVhostBeforeTheVerb() {
    Run run = Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_queues", "name,messages", "consumers", "durable",
        "arguments", "policy");
    assertThat(run.out()).isEqualTo("name\tmessages\tconsumers\tdurable\targuments\tpolicy\n"
        + "orders\t3\t1\ttrue\t{\"x-max-length\":100}\t\n");
  }

  @Test
  void jsonFormatterPrintsAnArrayOfObjectsAndNoBanner() throws Exception {
    Run run = Run.warrenctl(api.port(), "list_queues", "-p", "team-a", "--formatter", "json", "name", "arguments",
        "message_stats.publish");
    JsonNode rows = ApiClient.json().readTree(run.out());
    assertThat(rows.size()).isEqualTo(1);
    assertThat(rows.get(0).get("name").asText()).isEqualTo("orders");
    assertThat(rows.get(0).get("arguments").get("x-max-length").asInt()).isEqualTo(100);
    assertThat(rows.get(0).get("message_stats.publish").asInt()).isEqualTo(3);
  }

  @Test
  void emptyListInJsonIsAnEmptyArray() {
    api.on("GET", "/api/queues/%2F", 200, "[]");
    Run run = Run.warrenctl(api.port(), "list_queues", "--formatter", "JSON");
    assertThat(run.out().strip()).isEqualTo("[]");
    assertThat(api.calls.get(0).path()).as("the default vhost / is encoded whole").isEqualTo("/api/queues/%2F");
  }

  @Test
  void noTableHeadersLeavesOnlyRows() {
    Run run = Run.warrenctl(api.port(), "-q", "list_connections", "--no-table-headers", "name");
    assertThat(run.out()).isEqualTo("127.0.0.1:51436 -> 127.0.0.1:20200\n");
  }

  @Test
  void connectionsChannelsAndConsumersMapRabbitmqctlsPidColumnsToTheApisNames() {
    assertThat(Run.warrenctl(api.port(), "-q", "list_connections").out())
        .isEqualTo("user\tpeer_host\tpeer_port\tstate\nguest\t127.0.0.1\t51436\trunning\n");
    assertThat(Run.warrenctl(api.port(), "-q", "list_channels").out())
        .isEqualTo("pid\tuser\tconsumer_count\tmessages_unacknowledged\n"
            + "127.0.0.1:51436 -> 127.0.0.1:20200 (1)\tguest\t1\t3\n");
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_consumers").out())
        .isEqualTo("queue_name\tchannel_pid\tconsumer_tag\tack_required\tprefetch_count\tactive\targuments\n"
            + "orders\t127.0.0.1:51436 -> 127.0.0.1:20200 (1)\tctag-1\ttrue\t10\ttrue\t{}\n");
  }

  @Test
  void bindingsExchangesUsersVhostsAndPermissions() {
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_bindings").out())
        .isEqualTo("source_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments\n"
            + "\texchange\torders\tqueue\torders\t{}\n"
            + "ev\texchange\torders\tqueue\to.#\t{}\n");
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_exchanges").out())
        .startsWith("name\ttype\n\tdirect\n").contains("amq.topic\ttopic\n").contains("ev\ttopic\n");
    assertThat(Run.warrenctl(api.port(), "-q", "list_users").out())
        .isEqualTo("user\ttags\nalice\t[monitoring, policymaker]\nguest\t[administrator]\n");
    assertThat(Run.warrenctl(api.port(), "-q", "list_vhosts").out()).isEqualTo("name\n/\nteam-a\n");
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_permissions").out())
        .isEqualTo("user\tconfigure\twrite\tread\nalice\t^alice-.*\t.*\t.*\nguest\t.*\t.*\t.*\n");
    assertThat(Run.warrenctl(api.port(), "-q", "list_user_permissions", "alice").out())
        .isEqualTo("vhost\tconfigure\twrite\tread\nteam-a\t^alice-.*\t.*\t.*\n");
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_topic_permissions").out())
        .isEqualTo("user\texchange\twrite\tread\nalice\tamq.topic\t^a\\.\t^b\\.\n");
  }

  @Test
  void policiesAndVhostLimits() {
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_policies").out())
        .isEqualTo("vhost\tname\tpattern\tapply-to\tdefinition\tpriority\n"
            + "team-a\tttl\t^ttl\\.\tqueues\t{\"message-ttl\":60000}\t3\n");
    assertThat(Run.warrenctl(api.port(), "-q", "-p", "team-a", "list_vhost_limits").out())
        .isEqualTo("{\"max-connections\":10,\"max-queues\":5}\n");
  }

  @Test
  void statusSummarisesOverviewAndNode() throws Exception {
    Run table = Run.warrenctl(api.port(), "status");
    assertThat(table.code()).isZero();
    assertThat(table.out()).startsWith("Status of node ctlref@localhost ...\nRuntime\n")
        .contains("Product: RabbitMQ 3.10.8\n", "Alarms\n\n(none)\n",
            "Interface: 127.0.0.1, port: 20200, protocol: amqp\n", "Queue count: 1\n", "Connection count: 1\n");
    JsonNode json = ApiClient.json().readTree(Run.warrenctl(api.port(), "status", "--formatter", "json").out());
    assertThat(json.get("node").asText()).isEqualTo("ctlref@localhost");
    assertThat(json.get("fd_total").asInt()).isEqualTo(20000);
    assertThat(json.get("alarms").get("memory").asBoolean()).isFalse();
  }
}
