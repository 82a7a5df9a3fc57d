package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What scripts written for rabbitmqctl call it with, as RabbitMQ's own client test suites do: the -n node option, the
 * notation of client_properties they parse, close_all_connections, and verbs that only an Erlang node has.
 */
class RabbitmqctlCallsTest {
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi().get("/api/connections", "connections.json").get("/api/vhosts", "vhosts.json");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Without --host: the host comes from -n, as for rabbitmqctl. */
  private static Run withoutHost(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Warrenctl.run(args, new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader("")));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theHostPartOfTheNodeNameIsTheApisHost() {
    Run run = withoutHost("--port", Integer.toString(api.port()), "-n", "rabbit@127.0.0.1", "-q", "list_vhosts");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("name\n");

    Run elsewhere = withoutHost("--port", Integer.toString(api.port()), "-t", "2", "-n", "rabbit@127.0.0.2",
        "list_vhosts");
    assertThat(elsewhere.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(elsewhere.err()).contains("http://127.0.0.2:" + api.port() + "/api/");
  }

  @Test
  void clientPropertiesPrintAsRabbitmqctlsFieldTableAndStayAnObjectInJson() throws Exception {
    Run table = Run.warrenctl(api.port(), "-n", "rabbit@localhost", "list_connections", "-q", "pid", "peer_port",
        "client_properties");
    assertThat(table.out()).isEqualTo("pid\tpeer_port\tclient_properties\n"
        + "127.0.0.1:51436 -> 127.0.0.1:20200\t51436\t[{\"connection_name\",\"my-app\"}]\n");
    Run json = Run.warrenctl(api.port(), "list_connections", "--formatter", "json", "client_properties");
    assertThat(ApiClient.json().readTree(json.out()).get(0).get("client_properties").get("connection_name").asText())
        .isEqualTo("my-app");
  }

  @Test
  void fieldTablesNestQuoteAndKeepTheirTypes() throws Exception {
    assertThat(ErlangTerm.of(ApiClient.json().readTree("{\"capabilities\":{\"publisher_confirms\":true},"
        + "\"product\":\"say \\\"hi\\\"\",\"n\":42,\"list\":[1,\"a\"],\"none\":null}")))
        .isEqualTo("[{\"capabilities\",[{\"publisher_confirms\",true}]},{\"product\",\"say \\\"hi\\\"\"},{\"n\",42},"
            + "{\"list\",[1,\"a\"]},{\"none\",undefined}]");
  }

  @Test
  void closeAllConnectionsClosesEachConnectionOfTheVhostWithTheReason() {
    api.get("/api/vhosts/team-a/connections", "connections.json")
        .on("DELETE", "/api/connections/127.0.0.1%3A51436%20-%3E%20127.0.0.1%3A20200", 204, "");
    Run run = Run.warrenctl(api.port(), "-p", "team-a", "close_all_connections", "maintenance window");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("Closing all connections in vhost team-a, reason: maintenance window...\n");
    assertThat(api.writes()).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("DELETE");
      assertThat(call.header("X-reason")).isEqualTo("maintenance window");
    });
  }

  @Test
  void closeAllConnectionsGlobalTakesEveryVhostsAndAGoneConnectionIsNoError() {
    // the DELETE answers 404: the connection went away by itself meanwhile
    Run run = Run.warrenctl(api.port(), "-q", "close_all_connections", "--global", "bye");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(api.calls).extracting(FakeApi.Call::path).startsWith("/api/connections");
    assertThat(api.writes()).hasSize(1);
  }

  @Test
  void verbsThatNeedAnErlangNodeSayWhy() {
    Run eval = Run.warrenctl(api.port(), "-n", "rabbit@localhost", "eval", "application:get_env(rabbit, x).");
    assertThat(eval.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(eval.err()).startsWith("Error: Warren is not an Erlang node");
    Run stop = Run.warrenctl(api.port(), "stop");
    assertThat(stop.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(stop.err()).contains("stop the process (SIGTERM) and start bin/warren again");
    assertThat(Run.warrenctl(api.port(), "no_such_verb").err()).contains("Unmatched argument");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void stopAppAndStartAppPostToTheNodesApplicationWithRabbitmqctlsNodeOption() {
    api.on("POST", "/api/node/app/stop", 200, "{\"node\":\"warren@h\",\"state\":\"stopped\",\"running\":false,"
        + "\"changed\":true}")
        .on("POST", "/api/node/app/start", 200, "{\"node\":\"warren@h\",\"state\":\"running\",\"running\":true,"
            + "\"changed\":true}");
    Run stop = Run.warrenctl(api.port(), "-n", "rabbit@localhost", "stop_app");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).isEqualTo("Stopping the broker application on node rabbit@localhost ...\n");
    Run start = Run.warrenctl(api.port(), "start_app");
    assertThat(start.code()).as(start.err()).isZero();
    assertThat(start.out()).isEqualTo("Starting the broker application on node warren@127.0.0.1 ...\n");
    assertThat(Run.warrenctl(api.port(), "-q", "start_app").out()).isEmpty();
    assertThat(api.calls).extracting(c -> c.method() + " " + c.path()).containsExactly("POST /api/node/app/stop",
        "POST /api/node/app/start", "POST /api/node/app/start");
  }

  @Test
  void aStartThatFailsOrAnApiWithoutTheApplicationSaysWhy() {
    api.on("POST", "/api/node/app/start", 500, "{\"error\":\"start_failed\",\"reason\":\"the broker application "
        + "could not start: cannot listen on 0.0.0.0:5672\"}")
        .on("POST", "/api/node/app/stop", 409, "{\"error\":\"not_supported_here\",\"reason\":\"node 'a' is a "
            + "member of mirrored pair 'p'\"}");
    Run start = Run.warrenctl(api.port(), "start_app");
    assertThat(start.code()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(start.err()).contains("could not start: cannot listen on 0.0.0.0:5672");
    Run pair = Run.warrenctl(api.port(), "stop_app");
    assertThat(pair.code()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(pair.err()).contains("member of mirrored pair 'p'");
    api.on("GET", "/api/overview", 503, "{\"error\":\"not_available\",\"reason\":\"the broker application is "
        + "stopped on this node\"}");
    Run stopped = Run.warrenctl(api.port(), "ping");
    assertThat(stopped.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(stopped.err()).contains("is not available: the broker application is stopped on this node");
    api.on("POST", "/api/node/app/stop", 404, FakeApi.NOT_FOUND);
    Run old = Run.warrenctl(api.port(), "stop_app");
    assertThat(old.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(old.err()).contains("cannot stop or start the broker application");
  }
}
