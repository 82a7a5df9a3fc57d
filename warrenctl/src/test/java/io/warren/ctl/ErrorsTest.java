package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user sees when something is wrong: one readable line on stderr and rabbitmqctl's exit code. */
class ErrorsTest {
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void badCredentials() {
    api.on("GET", "/api/vhosts", 401, "{\"error\":\"not_authorized\",\"reason\":\"Login failed\"}");
    Run run = Run.warrenctl(api.port(), "--password", "wrong", "list_vhosts");
    assertThat(run.code()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err()).startsWith("Error: authentication failed for user 'guest'");
  }

  @Test
  void forbidden() {
    api.on("DELETE", "/api/vhosts/x", 403, "{\"error\":\"not_authorised\",\"reason\":\"Not administrator user\"}");
    Run run = Run.warrenctl(api.port(), "delete_vhost", "x");
    assertThat(run.code()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err()).contains("is not allowed to DELETE /api/vhosts/x: Not administrator user");
  }

  @Test
  void missingVhostIsNamed() {
    Run run = Run.warrenctl(api.port(), "list_queues", "-p", "nope");
    assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).isEqualTo("Error: vhost 'nope' does not exist\n");
  }

  @Test
  void missingQueueInAnExistingVhostIsNamed() {
    api.on("GET", "/api/vhosts/team-a", 200, "{\"name\":\"team-a\"}");
    Run run = Run.warrenctl(api.port(), "purge_queue", "-p", "team-a", "nope");
    assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).isEqualTo("Error: queue 'nope' does not exist in vhost 'team-a'\n");
  }

  @Test
  void missingUserHasRabbitmqctlsNoUserCode() {
    Run run = Run.warrenctl(api.port(), "delete_user", "nobody");
    assertThat(run.code()).isEqualTo(ExitCodes.NO_USER);
    assertThat(run.err()).isEqualTo("Error: user 'nobody' does not exist\n");
  }

  @Test
  void permissionsOnAMissingUserAnsweredWith400AreExplained() {
    api.on("GET", "/api/vhosts/team-a", 200, "{\"name\":\"team-a\"}")
        .on("PUT", "/api/permissions/team-a/nobody", 400,
            "{\"error\":\"bad_request\",\"reason\":\"vhost_or_user_not_found\"}");
    Run run = Run.warrenctl(api.port(), "set_permissions", "-p", "team-a", "nobody", ".*", ".*", ".*");
    assertThat(run.code()).isEqualTo(ExitCodes.NO_USER);
    assertThat(run.err()).isEqualTo("Error: user 'nobody' does not exist\n");
  }

  @Test
  void rejectedInputShowsTheBrokersReason() {
    api.on("PUT", "/api/policies/%2F/bad", 400, "{\"error\":\"bad_request\",\"reason\":\"pattern is not a regex\"}");
    Run run = Run.warrenctl(api.port(), "set_policy", "bad", "[", "{}");
    assertThat(run.code()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).isEqualTo("Error: the broker rejected the request: pattern is not a regex\n");
  }

  @Test
  void serverErrorAndNonJsonAnswers() {
    api.on("GET", "/api/vhosts", 500, "<html>boom</html>").on("GET", "/api/users", 200, "<html>not json</html>");
    Run failed = Run.warrenctl(api.port(), "list_vhosts");
    assertThat(failed.code()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(failed.err()).contains("HTTP 500", "<html>boom</html>");
    Run html = Run.warrenctl(api.port(), "list_users");
    assertThat(html.code()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(html.err()).contains("not JSON");
  }

  @Test
  void unreachableApi() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Run run = Run.warrenctl(closed, "list_queues");
    assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).startsWith("Error: cannot reach the management API at http://127.0.0.1:" + closed + "/api/");
  }

  @Test
  void badCommandLines() {
    Run unknownVerb = Run.warrenctl(api.port(), "frobnicate");
    assertThat(unknownVerb.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownVerb.err()).contains("frobnicate");
    Run missingArgument = Run.warrenctl(api.port(), "set_permissions", "alice", ".*");
    assertThat(missingArgument.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingArgument.err()).contains("Missing required parameter");
    Run badColumn = Run.warrenctl(api.port(), "list_queues", "bogus");
    assertThat(badColumn.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badColumn.err()).startsWith("Error: column(s) bogus are not supported; use one of: arguments,");
    Run noVerb = Run.warrenctl(api.port());
    assertThat(noVerb.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noVerb.err()).contains("Usage: warrenctl");
    assertThat(api.calls).isEmpty();
  }
}
