package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitConnectionClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.management.Http;
import io.warren.management.ManagementConfig;
import io.warren.management.ManagementServer;
import io.warren.server.NodeApp;
import io.warren.server.admin.AppRoutes;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stop_app and start_app: a single node's broker application stopped and started again in place, behind an HTTP
 * listener that stays up, driven by the JDK HttpClient and bin/warrenctl, with the RabbitMQ Java client checking what
 * clients see (320 on stop, refused while stopped, everything durable back after start, as after a restart).
 */
class AppRestartIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path ctlHome;
  private NodeApp node;
  private Http http;
  private int amqpPort;

  @BeforeEach
  void start() {
    BrokerConfig config = ConfigLoader.defaults().withPort(0).withDataDir(dataDir);
    node = NodeApp.start(config.withHttp(config.http().onPort(0)), () -> { });
    http = new Http(node.management().port());
    amqpPort = node.broker().port();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(amqpPort);
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(5000);
    return f;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode post(String path, int status) throws Exception {
    HttpResponse<String> r = http.post(path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return Http.json(r);
  }

  @Test
  void stopClosesClientsWith320AndStartRecoversWhatARestartRecovers() throws Exception {
    Connection client = factory().newConnection();
    Channel ch = client.createChannel();
    ch.exchangeDeclare("app-x", "direct", true);
    ch.queueDeclare("app-dq", true, false, false, null);
    ch.queueBind("app-dq", "app-x", "k");
    ch.queueDeclare("app-tq", false, false, false, null);
    ch.queueDeclare("app-excl", true, true, false, null);
    ch.confirmSelect();
    for (String body : List.of("m0", "m1", "m2")) {
      ch.basicPublish("app-x", "k", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes(body));
    }
    ch.basicPublish("", "app-tq", null, bytes("transient"));
    ch.waitForConfirmsOrDie(10_000);
    GetResponse first = ch.basicGet("app-dq", false); // delivered, never acknowledged
    assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("m0");
    assertThat(first.getEnvelope().isRedeliver()).isFalse();

    JsonNode stopped = post("/api/node/app/stop", 200);
    assertThat(stopped.get("state").asText()).isEqualTo("stopped");
    assertThat(stopped.get("changed").asBoolean()).isTrue();
    AMQP.Connection.Close why = awaitConnectionClosed(client);
    assertThat(why.getReplyCode()).isEqualTo(AMQP.CONNECTION_FORCED);
    assertThat(why.getReplyText()).contains("shutdown");

    assertThatThrownBy(() -> factory().newConnection()).isInstanceOf(IOException.class);
    HttpResponse<String> overview = http.get("/api/overview");
    assertThat(overview.statusCode()).isEqualTo(503);
    assertThat(Http.json(overview).get("reason").asText()).contains("stopped", "start_app");
    assertThat(Http.json(http.get("/api/node/app")).get("state").asText()).isEqualTo("stopped");

    JsonNode started = post("/api/node/app/start", 200);
    assertThat(started.get("state").asText()).isEqualTo("running");
    assertThat(started.get("running").asBoolean()).isTrue();
    assertThat(node.broker().port()).as("the same AMQP port").isEqualTo(amqpPort);
    assertThat(http.get("/api/overview").statusCode()).isEqualTo(200);

    try (Connection again = factory().newConnection()) {
      Channel c = again.createChannel();
      Map<String, Boolean> redelivered = new HashMap<>();
      GetResponse r;
      while ((r = c.basicGet("app-dq", true)) != null) {
        redelivered.put(new String(r.getBody(), StandardCharsets.UTF_8), r.getEnvelope().isRedeliver());
      }
      assertThat(redelivered).isEqualTo(Map.of("m0", true, "m1", false, "m2", false));
      c.confirmSelect();
      c.basicPublish("app-x", "k", null, bytes("after")); // the durable binding is back
      c.waitForConfirmsOrDie(10_000);
      CloseReasons.channelError(() -> c.queueDeclarePassive("app-tq"));
    }
    try (Connection again = factory().newConnection()) {
      Channel c = again.createChannel();
      assertThat(c.basicGet("app-dq", true)).extracting(g -> new String(g.getBody(), StandardCharsets.UTF_8))
          .isEqualTo("after");
      AMQP.Channel.Close gone = CloseReasons.channelError(() -> c.queueDeclarePassive("app-excl"));
      assertThat(gone.getReplyCode()).isEqualTo(AMQP.NOT_FOUND);
    }
  }

  @Test
  void stoppingAStoppedAppAndStartingARunningOneChangeNothing() throws Exception {
    assertThat(post("/api/node/app/start", 200).get("changed").asBoolean()).isFalse();
    assertThat(post("/api/node/app/stop", 200).get("changed").asBoolean()).isTrue();
    JsonNode again = post("/api/node/app/stop", 200);
    assertThat(again.get("changed").asBoolean()).isFalse();
    assertThat(again.get("state").asText()).isEqualTo("stopped");
    assertThat(post("/api/node/app/start", 200).get("changed").asBoolean()).isTrue();
    assertThat(post("/api/node/app/start", 200).get("changed").asBoolean()).isFalse();
    factory().newConnection().close();
  }

  @Test
  void concurrentStopsAndStartsRunOneAtATimeInTheOrderAsked() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (String op : List.of("stop", "start", "stop", "start", "stop", "start")) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return new Http(node.management().port()).post("/api/node/app/" + op, null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    // whatever order they arrived in, each ran whole: the app is in a state a start can always end
    post("/api/node/app/start", 200);
    assertThat(Http.json(http.get("/api/node/app")).get("state").asText()).isEqualTo("running");
    try (Connection c = factory().newConnection()) {
      c.createChannel().queueDeclare("after-the-storm", true, false, false, null);
    }
  }

  @Test
  void onlyAnAdministratorMayStopOrStartAndLoginsStillCountWhileStopped() throws Exception {
    assertThat(http.put("/api/users/watcher", "{\"password\":\"pw\",\"tags\":\"management\"}").statusCode())
        .isEqualTo(201);
    assertThat(http.put("/api/users/plain", "{\"password\":\"pw\",\"tags\":\"\"}").statusCode()).isEqualTo(201);
    for (int round = 0; round < 2; round++) {
      assertThat(http.as("guest", "wrong").post("/api/node/app/stop", null).statusCode()).isEqualTo(401);
      assertThat(http.as(null, null).post("/api/node/app/stop", null).statusCode()).isEqualTo(401);
      HttpResponse<String> watcher = http.as("watcher", "pw").post("/api/node/app/stop", null);
      assertThat(watcher.statusCode()).isEqualTo(403);
      assertThat(Http.json(watcher).get("reason").asText()).contains("administrator");
      assertThat(http.as("plain", "pw").post("/api/node/app/start", null).statusCode()).isEqualTo(403);
      assertThat(http.as("watcher", "pw").get("/api/node/app").statusCode()).isEqualTo(200);
      http.as("guest", "guest");
      post("/api/node/app/stop", 200); // the second round runs while stopped
    }
    assertThat(post("/api/node/app/start", 200).get("state").asText()).isEqualTo("running");
  }

  @Test
  void aStartThatFailsSaysWhyAndCanBeTriedAgain() throws Exception {
    post("/api/node/app/stop", 200);
    String bind = ConfigLoader.defaults().amqp().bindAddress();
    try (ServerSocket squatter = new ServerSocket(amqpPort, 50, InetAddress.getByName(bind))) {
      JsonNode failed = post("/api/node/app/start", 500);
      assertThat(failed.get("error").asText()).isEqualTo("start_failed");
      assertThat(failed.get("reason").asText()).contains("cannot listen on", Integer.toString(amqpPort));
      assertThat(Http.json(http.get("/api/node/app")).get("state").asText()).isEqualTo("stopped");
      assertThat(http.get("/api/overview").statusCode()).isEqualTo(503);
    }
    assertThat(post("/api/node/app/start", 200).get("changed").asBoolean()).isTrue();
    factory().newConnection().close();
  }

  @Test
  void warrenctlStopsAndStartsTheAppAsTheClientSuiteCallsIt() throws Exception {
    WarrenctlScript ctl = new WarrenctlScript(ctlHome);
    String port = Integer.toString(node.management().port());
    Connection client = factory().newConnection();
    client.createChannel().queueDeclare("ctl-dq", true, false, false, null);

    WarrenctlScript.Run stop = ctl.run("-n", "rabbit@127.0.0.1", "--port", port, "stop_app");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).isEqualTo("Stopping the broker application on node rabbit@127.0.0.1 ...\n");
    assertThat(awaitConnectionClosed(client).getReplyCode()).isEqualTo(AMQP.CONNECTION_FORCED);
    assertThatThrownBy(() -> factory().newConnection()).isInstanceOf(IOException.class);
    WarrenctlScript.Run list = ctl.run("--port", port, "-q", "list_queues");
    assertThat(list.code()).isEqualTo(69);
    assertThat(list.err()).contains("the broker application is stopped on this node");

    WarrenctlScript.Run start = ctl.run("-n", "rabbit@127.0.0.1", "--port", port, "start_app");
    assertThat(start.code()).as(start.err()).isZero();
    assertThat(start.out()).isEqualTo("Starting the broker application on node rabbit@127.0.0.1 ...\n");
    try (Connection again = factory().newConnection()) {
      again.createChannel().queueDeclarePassive("ctl-dq");
    }
  }

  @Test
  void aPairMembersListenerRefusesWithTheReason() throws Exception {
    try (ManagementServer pair = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 4096, false, 5000, 10))) {
      AppRoutes.refuse(pair, "node 'a' is a member of mirrored pair 'p'");
      pair.start();
      HttpResponse<String> r = new Http(pair.port()).post("/api/node/app/stop", null);
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(Http.json(r).get("reason").asText()).contains("mirrored pair 'p'");
    }
  }
}
