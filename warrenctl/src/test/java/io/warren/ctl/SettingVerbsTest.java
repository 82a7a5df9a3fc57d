package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run-time settings verbs and eval's few Erlang forms: which expressions are understood (whitespace between
 * tokens, an optional final dot) and which are refused, and the /api/node requests they make.
 */
class SettingVerbsTest {
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi()
        .on("PUT", "/api/node/alarms/memory", 204, "")
        .on("PUT", "/api/node/alarms/disk", 204, "")
        .on("DELETE", "/api/node/alarms/memory", 204, "")
        .on("DELETE", "/api/node/alarms/disk", 204, "")
        .on("PUT", "/api/node/channel-max", 204, "")
        .on("PUT", "/api/node/memory-high-watermark", 204, "")
        .on("PUT", "/api/node/disk-free-limit", 204, "");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theClientSuitesFormsParse() {
    assertThat(EvalForm.parse("rabbit_alarm:set_alarm({{resource_limit, memory, node()}, []})."))
        .isEqualTo(new EvalForm.Alarm("memory", true));
    assertThat(EvalForm.parse("rabbit_alarm:clear_alarm({resource_limit, disk, node()})."))
        .isEqualTo(new EvalForm.Alarm("disk", false));
    assertThat(EvalForm.parse("application:set_env(rabbit, channel_max, 2048)."))
        .isEqualTo(new EvalForm.ChannelMax(2048));
    assertThat(EvalForm.parse("application:set_env(rabbit, channel_max, 0)."))
        .isEqualTo(new EvalForm.ChannelMax(0));
  }

  @Test
  void whitespaceBetweenTokensAndTheFinalDotAreOptional() {
    assertThat(EvalForm.parse("rabbit_alarm:set_alarm({{resource_limit,disk,node()},[]})"))
        .isEqualTo(new EvalForm.Alarm("disk", true));
    assertThat(EvalForm.parse("  rabbit_alarm : clear_alarm ( { resource_limit ,\n memory , node ( ) } ) .  "))
        .isEqualTo(new EvalForm.Alarm("memory", false));
    assertThat(EvalForm.parse("application:set_env( rabbit,channel_max,\t48 )"))
        .isEqualTo(new EvalForm.ChannelMax(48));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "node().",
      "application:get_env(rabbit, channel_max).",
      "application:set_env(rabbit, frame_max, 4096).",
      "application:set_env(rabbit, channel_max, -1).",
      "application:set_env(rabbit, channel_max, 12abc).",
      "application:set_env(other_app, channel_max, 10).",
      "rabbit_alarm:set_alarm({{resource_limit, cpu, node()}, []}).",
      "rabbit_alarm:set_alarm({{resource_limit, memory, 'rabbit@elsewhere'}, []}).",
      "rabbit_alarm:set_alarm({{resource_limit, memory, node()}, [x]}).",
      "rabbit_alarm:set_alarm({resource_limit, memory, node()}).",
      "rabbit_alarm:clear_alarm({{resource_limit, memory, node()}, []}).",
      "rabbit_alarm:clear_alarm({resource_limit, memory, node()}).. ",
      "rabbit_alarm:clear_alarm({resource_limit, memory, node()}), os:cmd(\"rm -rf /\").",
      "rabbitalarm:clear_alarm({resource_limit, memory, node()})."})
  void anythingElseIsNotUnderstoodAndSendsNothing(String expression) {
    assertThat(EvalForm.parse(expression)).isNull();
    Run run = Run.warrenctl(api.port(), "-n", "rabbit@localhost", "eval", expression);
    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("Error: Warren is not an Erlang node").contains("channel_max");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void evalRaisesAndClearsAlarmsAndSetsChannelMaxThroughTheNodeRoutes() {
    Run set = Run.warrenctl(api.port(), "-n", "rabbit@localhost", "eval",
        "rabbit_alarm:set_alarm({{resource_limit, memory, node()}, []}).");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("ok\n");
    Run clear = Run.warrenctl(api.port(), "eval", "rabbit_alarm:clear_alarm({resource_limit, disk, node()}).");
    assertThat(clear.code()).as(clear.err()).isZero();
    Run max = Run.warrenctl(api.port(), "eval", "application:set_env(rabbit, channel_max, 48).");
    assertThat(max.code()).as(max.err()).isZero();
    assertThat(api.calls).extracting(c -> c.method() + " " + c.path()).containsExactly(
        "PUT /api/node/alarms/memory", "DELETE /api/node/alarms/disk", "PUT /api/node/channel-max");
    assertThat(api.calls.get(2).body()).isEqualTo("{\"value\":48}");
  }

  @Test
  void watermarkAndDiskLimitTakeRabbitmqctlsForms() {
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "0.000000001").code()).isZero();
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "absolute", "2GB").code()).isZero();
    assertThat(Run.warrenctl(api.port(), "set_disk_free_limit", "50MB").code()).isZero();
    assertThat(Run.warrenctl(api.port(), "set_disk_free_limit", "mem_relative", "1.5").code()).isZero();
    assertThat(api.calls).extracting(FakeApi.Call::body).containsExactly("{\"relative\":1.0E-9}",
        "{\"absolute\":\"2GB\"}", "{\"absolute\":\"50MB\"}", "{\"mem_relative\":1.5}");
  }

  @Test
  void badValuesAreRefusedBeforeAnyRequest() {
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "1.5").err()).contains("between 0.0 and 1.0");
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "NaN").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "lots").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Run.warrenctl(api.port(), "set_vm_memory_high_watermark", "relative", "0.4").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(Run.warrenctl(api.port(), "set_disk_free_limit", "mem_relative", "x").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(api.calls).isEmpty();
  }

  @Test
  void theBrokersRefusalIsInputRejected() {
    api.on("PUT", "/api/node/channel-max", 400,
        "{\"error\":\"bad_request\",\"reason\":\"channel_max must be 0 (the configured 2047) to 65535, got 70000\"}");
    Run run = Run.warrenctl(api.port(), "eval", "application:set_env(rabbit, channel_max, 70000).");
    assertThat(run.code()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("got 70000");
  }

  @Test
  void aBrokerWithoutTheNodeRoutesIsNamed() {
    Run run = Run.warrenctl(api.port(), "set_disk_free_limit", "1GB");
    assertThat(run.code()).as(run.err()).isZero();
    FakeApi rabbit = null;
    try {
      rabbit = new FakeApi();
      Run refused = Run.warrenctl(rabbit.port(), "set_disk_free_limit", "1GB");
      assertThat(refused.code()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(refused.err()).contains("is it a Warren broker?");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (rabbit != null) {
        rabbit.close();
      }
    }
  }
}
