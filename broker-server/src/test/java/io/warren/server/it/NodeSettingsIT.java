package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.ChannelN;
import com.rabbitmq.client.impl.ConsumerWorkService;
import com.rabbitmq.client.impl.SocketFrameHandler;
import io.warren.management.Http;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's settings changed at run time over Warren's /api/node routes, seen through the Java client: the memory
 * watermark trips and clears the memory alarm (connection.blocked / unblocked), alarms raised by hand hold until
 * cleared by hand, channel-max applies to new connections only, bad values are 400s, and only administrators change
 * them. One broker per test.
 */
class NodeSettingsIT {
  private BrokerFixture broker;
  private Http http;

  @BeforeEach
  void start() {
    broker = BrokerFixture.start();
    http = new Http(broker.broker().management().port());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** A connection that has published (so an alarm blocks it), and what its blocked listener heard. */
  record Publisher(Connection connection, Channel channel, String queue, List<String> events) {
    static Publisher open(BrokerFixture broker) throws Exception {
      Connection conn = broker.connect();
      List<String> events = BlockedEvents.recordOn(conn);
      Channel ch = conn.createChannel();
      // not exclusive: another connection counts its messages
      String q = ch.queueDeclare("settings-" + java.util.UUID.randomUUID(), false, false, false, null).getQueue();
      ch.basicPublish("", q, null, "first".getBytes());
      return new Publisher(conn, ch, q, events);
    }
  }

  @Test
  void theWatermarkTripsAndClearsTheMemoryAlarm() throws Exception {
    Publisher p = Publisher.open(broker);
    try (Connection other = broker.connect()) {
      Channel look = other.createChannel();
      await().atMost(Duration.ofSeconds(10)).until(() -> look.queueDeclarePassive(p.queue()).getMessageCount() == 1);

      assertThat(http.put("/api/node/memory-high-watermark", "{\"relative\": 0.000000001}").statusCode())
          .isEqualTo(204);
      JsonNode node = http.json("/api/nodes").get(0);
      assertThat(node.get("mem_alarm").asBoolean()).isTrue();
      assertThat(node.get("mem_limit").asLong()).isLessThan(100);
      assertThat(p.events()).as("blocked when it publishes, as in RabbitMQ").isEmpty();
      p.channel().basicPublish("", p.queue(), null, "during".getBytes());
      await().atMost(Duration.ofSeconds(10)).until(() -> p.events().contains("blocked: low on memory"));
      assertThat(look.queueDeclarePassive(p.queue()).getMessageCount()).as("held while blocked").isEqualTo(1);

      assertThat(http.put("/api/node/memory-high-watermark", "{\"relative\": \"0.4\"}").statusCode()).isEqualTo(204);
      await().atMost(Duration.ofSeconds(10)).until(() -> p.events().contains("unblocked"));
      await().atMost(Duration.ofSeconds(10)).until(() -> look.queueDeclarePassive(p.queue()).getMessageCount() == 2);
      assertThat(p.events()).containsExactly("blocked: low on memory", "unblocked");
      JsonNode settings = http.json("/api/node/settings");
      assertThat(settings.get("vm_memory_high_watermark").get("relative").asDouble()).isEqualTo(0.4);
      long limit = (long) (settings.get("total_memory").asLong() * 0.4);
      assertThat(settings.get("mem_limit").asLong()).isEqualTo(limit);
      node = http.json("/api/nodes").get(0);
      assertThat(node.get("mem_limit").asLong()).isEqualTo(limit);
      assertThat(node.get("mem_alarm").asBoolean()).isFalse();

      assertThat(http.put("/api/node/memory-high-watermark", "{\"absolute\": \"3GiB\"}").statusCode()).isEqualTo(204);
      assertThat(http.json("/api/nodes").get(0).get("mem_limit").asLong()).isEqualTo(3L << 30);
      assertThat(http.json("/api/node/settings").get("vm_memory_high_watermark").get("absolute").asLong())
          .isEqualTo(3L << 30);
    }
    p.connection().close();
  }

  @Test
  void alarmsRaisedByHandHoldUntilClearedByHand() throws Exception {
    Publisher p = Publisher.open(broker);
    assertThat(http.put("/api/node/alarms/disk", "").statusCode()).isEqualTo(204);
    // a connection that published before the alarm still consumes and gets, until it publishes again
    assertThat(p.channel().basicGet(p.queue(), true)).isNotNull();
    p.channel().basicPublish("", p.queue(), null, "during".getBytes());
    await().atMost(Duration.ofSeconds(10)).until(() -> p.events().contains("blocked: low on disk"));
    assertThat(http.json("/api/nodes").get(0).get("disk_free_alarm").asBoolean()).isTrue();
    assertThat(http.put("/api/node/alarms/memory", "").statusCode()).isEqualTo(204);
    assertThat(http.json("/api/node/settings").get("alarms_set_by_hand").toString())
        .isEqualTo("[\"memory\",\"disk\"]");
    assertThat(http.delete("/api/node/alarms/memory").statusCode()).isEqualTo(204);
    // the disk alarm still holds: measured free space is plenty, but it was raised by hand
    assertThat(broker.broker().raisedAlarm()).isSameAs(broker.broker().diskAlarm());
    assertThat(p.events()).containsExactly("blocked: low on disk");

    // a connection that opens during the alarm is blocked once it publishes
    Publisher late = Publisher.open(broker);
    await().atMost(Duration.ofSeconds(10)).until(() -> late.events().contains("blocked: low on disk"));

    assertThat(http.delete("/api/node/alarms/disk").statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> p.events().contains("unblocked")
        && late.events().contains("unblocked"));
    assertThat(http.json("/api/node/settings").get("alarms_set_by_hand").size()).isZero();
    JsonNode node = http.json("/api/nodes").get(0);
    assertThat(node.get("disk_free_alarm").asBoolean()).isFalse();
    assertThat(node.get("mem_alarm").asBoolean()).isFalse();
    p.connection().close();
    late.connection().close();
  }

  @Test
  void aPublishHeldByAnAlarmIsLetGoWhenItsConnectionCloses() throws Exception {
    try (LeakCheck leaks = LeakCheck.start()) {
      Publisher p = Publisher.open(broker);
      assertThat(http.put("/api/node/alarms/memory", "").statusCode()).isEqualTo(204);
      p.channel().basicPublish("", p.queue(), null, new byte[200_000]);
      await().atMost(Duration.ofSeconds(10)).until(() -> p.events().contains("blocked: low on memory"));
      // a blocked connection is not read from, so its close handshake cannot complete (as in RabbitMQ)
      p.connection().abort(1000);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> broker.broker().registry().connections().connectionCount(null) == 0);
      assertThat(http.delete("/api/node/alarms/memory").statusCode()).isEqualTo(204);
      try (Connection other = broker.connect()) {
        Channel ch = other.createChannel();
        assertThat(ch.queueDeclarePassive(p.queue()).getMessageCount()).as("only the first").isEqualTo(1);
      }
      assertThat(leaks.leaks()).as("Netty leak reports").isEmpty();
    }
  }

  @Test
  void theDiskFreeLimitIsShownAsSet() throws Exception {
    assertThat(http.put("/api/node/disk-free-limit", "{\"absolute\": \"1GB\"}").statusCode()).isEqualTo(204);
    assertThat(http.json("/api/nodes").get(0).get("disk_free_limit").asLong()).isEqualTo(1_000_000_000L);
    assertThat(http.put("/api/node/disk-free-limit", "{\"mem_relative\": 0.5}").statusCode()).isEqualTo(204);
    JsonNode settings = http.json("/api/node/settings");
    assertThat(settings.get("disk_free_limit").asLong()).isEqualTo(settings.get("total_memory").asLong() / 2);
    assertThat(settings.get("disk_free_limit_mem_relative").asDouble()).isEqualTo(0.5);
  }

  @Test
  void channelMaxAppliesToConnectionsOpenedAfterwards() throws Exception {
    try (Connection before = broker.connect()) {
      assertThat(before.getChannelMax()).isEqualTo(2047);
      assertThat(http.put("/api/node/channel-max", "{\"value\": 48}").statusCode()).isEqualTo(204);
      assertThat(http.json("/api/node/settings").get("channel_max").asInt()).isEqualTo(48);
      Connection after = broker.connect();
      assertThat(after.getChannelMax()).isEqualTo(48);
      assertThat(after.createChannel(48)).isNotNull();
      assertThat(before.getChannelMax()).isEqualTo(2047);
      assertThat(before.createChannel(100)).as("the old connection keeps its channel-max").isNotNull();
      AMQP.Connection.Close close = CloseReasons.connectionError(() -> openDirectly(after, 49));
      assertThat(close.getReplyCode()).isEqualTo(530);
      assertThat(after.isOpen()).isFalse();
      // a client whose tune-ok asks more than the broker offered is refused
      assertThat(http.put("/api/node/channel-max", "{\"value\": 2048}").statusCode()).isEqualTo(204);
      assertThatThrownBy(() -> insisting(4096).start()).isInstanceOf(IOException.class);
      AMQConnection fits = insisting(2048);
      fits.start();
      assertThat(fits.getChannelMax()).isEqualTo(2048);
      fits.close();

      assertThat(http.put("/api/node/channel-max", "{\"value\": 0}").statusCode()).isEqualTo(204);
      try (Connection back = broker.connect()) {
        assertThat(back.getChannelMax()).isEqualTo(2047);
      }
      assertThat(before.isOpen()).isTrue();
    }
  }

  /** channel.open on a number the client's own channel manager would refuse, as the client suite does it. */
  private static void openDirectly(Connection conn, int number) throws IOException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      ChannelN ch = new ChannelN((AMQConnection) conn, number, new ConsumerWorkService(pool,
          Executors.defaultThreadFactory(), ConnectionFactory.DEFAULT_SHUTDOWN_TIMEOUT));
      conn.addShutdownListener(cause -> ch.processShutdownSignal(cause, true, true));
      ch.open();
    } finally {
      pool.shutdownNow();
    }
  }

  /** A connection whose tune-ok carries {@code channelMax} whatever the broker offered. */
  private AMQConnection insisting(int channelMax) throws IOException {
    ConnectionFactory f = broker.factory();
    return new AMQConnection(f.params(Executors.newSingleThreadExecutor()),
        new SocketFrameHandler(new Socket("127.0.0.1", broker.port()))) {
      @Override
      protected int negotiateChannelMax(int requested, int serverMax) {
        return channelMax;
      }
    };
  }

  @Test
  void badValuesAreRefusedWithAReason() throws Exception {
    String[][] calls = {
        {"PUT", "/api/node/memory-high-watermark", "{\"relative\": -0.1}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"relative\": 1.5}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"relative\": \"NaN\"}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"relative\": \"lots\"}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"absolute\": -5}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"absolute\": \"12XB\"}"},
        {"PUT", "/api/node/memory-high-watermark", "{}"},
        {"PUT", "/api/node/memory-high-watermark", "{\"relative\": 0.4, \"absolute\": 1}"},
        {"PUT", "/api/node/memory-high-watermark", "not json"},
        {"PUT", "/api/node/disk-free-limit", "{\"absolute\": -1}"},
        {"PUT", "/api/node/disk-free-limit", "{\"mem_relative\": \"NaN\"}"},
        {"PUT", "/api/node/channel-max", "{\"value\": 70000}"},
        {"PUT", "/api/node/channel-max", "{\"value\": -1}"},
        {"PUT", "/api/node/channel-max", "{\"value\": \"many\"}"},
        {"PUT", "/api/node/alarms/cpu", ""},
        {"DELETE", "/api/node/alarms/cpu", null}};
    for (String[] call : calls) {
      var response = http.call(call[0], call[1], call[2]);
      assertThat(response.statusCode()).as("%s %s %s", call[0], call[1], call[2]).isEqualTo(400);
      assertThat(Http.json(response).get("reason").asText()).as("%s %s", call[1], call[2]).isNotBlank();
    }
    JsonNode settings = http.json("/api/node/settings");
    assertThat(settings.get("channel_max").asInt()).isEqualTo(2047);
    assertThat(settings.get("vm_memory_high_watermark").get("relative").asDouble()).isEqualTo(0.4);
    assertThat(settings.get("alarms_set_by_hand").size()).isZero();
  }

  @Test
  void onlyAdministratorsChangeSettings() throws Exception {
    assertThat(http.put("/api/users/watcher", "{\"password\":\"w\",\"tags\":\"monitoring\"}").statusCode())
        .isEqualTo(201);
    Http watcher = new Http(broker.broker().management().port()).as("watcher", "w");
    assertThat(watcher.get("/api/node/settings").statusCode()).isEqualTo(200);
    assertThat(watcher.put("/api/node/alarms/memory", "").statusCode()).isIn(401, 403);
    assertThat(watcher.put("/api/node/channel-max", "{\"value\": 5}").statusCode()).isIn(401, 403);
    assertThat(new Http(broker.broker().management().port()).as("guest", "wrong").put("/api/node/alarms/memory", "").statusCode()).isEqualTo(401);
    assertThat(broker.broker().raisedAlarm()).isNull();
    assertThat(broker.broker().channelMax().current()).isEqualTo(2047);
  }
}
