package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** trace_on and trace_off: the management API's way (PUT /api/vhosts/{vhost} with "tracing"), rabbitmqctl's output. */
class TraceVerbsTest {
  private static final String TEAM_A = "{\"name\":\"team-a\",\"description\":\"Team A\",\"tags\":[\"a\",\"b\"],"
      + "\"tracing\":false}";
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
  void traceOnAndOffPutTheTracingFlagWithTheVhostsDescriptionAndTags() throws Exception {
    api.on("GET", "/api/vhosts/team-a", 200, TEAM_A).on("PUT", "/api/vhosts/team-a", 204, "");
    Run on = Run.warrenctl(api.port(), "trace_on", "-p", "team-a");
    assertThat(on.code()).as(on.err()).isZero();
    assertThat(on.out()).isEqualTo("Starting tracing for vhost \"team-a\" ...\nTrace enabled for vhost team-a\n");
    assertThat(api.writes()).hasSize(1);
    assertThat(api.writes().get(0).method()).isEqualTo("PUT");
    assertThat(ApiClient.json().readTree(api.writes().get(0).body()))
        .isEqualTo(ApiClient.json().readTree("{\"description\":\"Team A\",\"tags\":\"a,b\",\"tracing\":true}"));

    Run off = Run.warrenctl(api.port(), "-q", "trace_off", "-p", "team-a");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(off.out()).isEqualTo("Trace disabled for vhost team-a\n");
    assertThat(ApiClient.json().readTree(api.writes().get(1).body()))
        .isEqualTo(ApiClient.json().readTree("{\"description\":\"Team A\",\"tags\":\"a,b\",\"tracing\":false}"));
  }

  @Test
  void theDefaultVhostIsSlash() {
    api.on("GET", "/api/vhosts/%2F", 200, "{\"name\":\"/\"}").on("PUT", "/api/vhosts/%2F", 204, "");
    Run on = Run.warrenctl(api.port(), "trace_on");
    assertThat(on.code()).as(on.err()).isZero();
    assertThat(on.out()).endsWith("Trace enabled for vhost /\n");
    assertThat(api.writes()).extracting(FakeApi.Call::path).containsExactly("/api/vhosts/%2F");
  }

  @Test
  void aVhostThatDoesNotExistIsReportedAndNotCreated() {
    Run on = Run.warrenctl(api.port(), "trace_on", "-p", "nope");
    assertThat(on.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(on.err()).isEqualTo("Error: vhost 'nope' does not exist\n");
    assertThat(api.writes()).isEmpty();
  }
}
