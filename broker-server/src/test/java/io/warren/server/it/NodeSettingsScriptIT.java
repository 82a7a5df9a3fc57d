package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/warrenctl's run-time settings run as RabbitMQ's Java client suite runs rabbitmqctl, one process per call (its
 * BrokerTestCase's block() and unblock(), Host.setResourceAlarm, ChannelLimitNegotiation's set_env), against a real
 * broker, seen through the Java client. One broker for the class.
 */
class NodeSettingsScriptIT {
  private static BrokerFixture broker;
  private static WarrenctlScript ctl;

  @BeforeAll
  static void start(@TempDir Path home) throws Exception {
    broker = BrokerFixture.start();
    ctl = new WarrenctlScript(home);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** rabbitmqctl's calling convention, as the client suite's Host.rabbitmqctl: the node first, then the verb. */
  private static WarrenctlScript.Run rabbitmqctl(String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("--port",
        Integer.toString(broker.broker().management().port()), "-n", "warren@127.0.0.1"));
    all.addAll(List.of(args));
    return ctl.run(all.toArray(String[]::new));
  }

  private static void ok(String... args) throws Exception {
    WarrenctlScript.Run r = rabbitmqctl(args);
    assertThat(r.code()).as("warrenctl %s: %s", List.of(args), r.err()).isZero();
  }

  @Test
  void theClientSuitesBlockAndUnblockBlockAndUnblockAPublisher() throws Exception {
    Connection conn = broker.connect();
    List<String> events = BlockedEvents.recordOn(conn);
    Channel ch = conn.createChannel();
    // block(): the memory watermark below anything, and the disk alarm by hand
    ok("set_vm_memory_high_watermark", "0.000000001");
    ok("eval", "rabbit_alarm:set_alarm({{resource_limit, disk, node()}, []}).");
    ch.basicPublish("", "", null, new byte[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("blocked: low on memory"));
    // unblock(): memory clears first; the disk alarm set by hand still blocks
    ok("set_vm_memory_high_watermark", "0.4");
    assertThat(broker.broker().raisedAlarm()).isSameAs(broker.broker().diskAlarm());
    ok("eval", "rabbit_alarm:clear_alarm({resource_limit, disk, node()}).");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("unblocked"));
    assertThat(events).containsExactly("blocked: low on memory", "unblocked");

    // MemoryAlarms' overlapping alarms: both by hand, cleared one after the other
    ok("eval", "rabbit_alarm:set_alarm({{resource_limit, memory, node()}, []}).");
    ok("eval", "rabbit_alarm:set_alarm({{resource_limit, disk, node()}, []}).");
    ch.basicPublish("", "", null, new byte[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
    ok("eval", "rabbit_alarm:clear_alarm({resource_limit, memory, node()}).");
    assertThat(broker.broker().raisedAlarm()).isNotNull();
    ok("eval", "rabbit_alarm:clear_alarm({resource_limit, disk, node()}).");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
    assertThat(events).containsExactly("blocked: low on memory", "unblocked", "blocked: low on memory", "unblocked");
    conn.close();
  }

  @Test
  void setEnvChannelMaxTunesNewConnectionsAndZeroRestoresTheConfiguredValue() throws Exception {
    try (Connection before = broker.connect()) {
      ok("eval", "application:set_env(rabbit, channel_max, 48).");
      try (Connection after = broker.connect()) {
        assertThat(after.getChannelMax()).isEqualTo(48);
      }
      assertThat(before.getChannelMax()).isEqualTo(2047);
      ok("eval", "application:set_env(rabbit, channel_max, 0).");
      try (Connection back = broker.connect()) {
        assertThat(back.getChannelMax()).isEqualTo(2047);
      }
    }
  }

  @Test
  void otherExpressionsAndBadValuesAreRefused() throws Exception {
    WarrenctlScript.Run other = rabbitmqctl("eval", "application:set_env(rabbit, loopback_users, []).");
    assertThat(other.code()).isEqualTo(64);
    assertThat(other.err()).startsWith("Error: Warren is not an Erlang node");
    WarrenctlScript.Run tooMany = rabbitmqctl("eval", "application:set_env(rabbit, channel_max, 70000).");
    assertThat(tooMany.code()).isEqualTo(65);
    assertThat(tooMany.err()).contains("70000");
    assertThat(rabbitmqctl("set_vm_memory_high_watermark", "absolute", "12XB").code()).isEqualTo(65);
    assertThat(broker.broker().channelMax().current()).isEqualTo(2047);
  }
}
