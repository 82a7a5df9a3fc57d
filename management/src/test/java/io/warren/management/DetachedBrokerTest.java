package io.warren.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.management.http.Response;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener whose broker comes and goes (a mirrored pair's node): added routes and gauges are served throughout,
 * the API only while a broker is attached, and 503 with the given reason otherwise.
 */
class DetachedBrokerTest {
  private ManagementServer server;
  private Http http;
  private final AtomicInteger epoch = new AtomicInteger(3);

  @BeforeEach
  void start() {
    server = new ManagementServer(new ManagementConfig("127.0.0.1", 0, 4096, false, 5000, 10));
    server.route("GET", "/ha/primary", false, r -> Response.json(503, Map.of("role", "backup", "epoch", epoch.get())));
    server.gauge("warren_test_epoch", "The test's epoch", List.of(), g -> g.sample(epoch.get()));
    server.gauge("warren_test_role", "A state set", List.of("role"), g -> {
      g.sample(1, "backup");
      g.sample(0, "primary");
    });
    server.unavailable(() -> "node b is the backup in epoch " + epoch.get());
    server.nodeFields(() -> Map.of("ha", Map.of("epoch", epoch.get())));
    server.start();
    http = new Http(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withoutABrokerOnlyTheAddedRoutesAndGaugesAnswer() throws Exception {
    HttpResponse<String> probe = http.as(null, null).get("/ha/primary");
    assertThat(probe.statusCode()).isEqualTo(503);
    assertThat(Http.json(probe).get("role").asText()).isEqualTo("backup");

    HttpResponse<String> overview = http.as("guest", "guest").get("/api/overview");
    assertThat(overview.statusCode()).isEqualTo(503);
    assertThat(Http.json(overview).get("error").asText()).isEqualTo("not_available");
    assertThat(Http.json(overview).get("reason").asText()).isEqualTo("node b is the backup in epoch 3");
    assertThat(http.as(null, null).get("/api/queues").statusCode()).isEqualTo(503);
    assertThat(http.as(null, null).get("/api/no-such-thing").statusCode()).isEqualTo(503);

    HttpResponse<String> metrics = http.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# HELP warren_test_epoch The test's epoch", "warren_test_epoch 3.0",
        "warren_test_role{role=\"backup\"} 1.0", "warren_test_role{role=\"primary\"} 0.0")
        .doesNotContain("rabbitmq_queues");
    epoch.set(4);
    assertThat(http.get("/metrics").body()).contains("warren_test_epoch 4.0");
    assertThat(http.get("/metrics/per-object").body()).contains("warren_test_epoch 4.0");
    assertThat(http.get("/index.html").statusCode()).isEqualTo(200);
  }

  @Test
  void attachingMountsTheApiAndDetachingRemovesIt() throws Exception {
    server.attach(new FakeBroker());
    HttpResponse<String> nodes = http.as("guest", "guest").get("/api/nodes");
    assertThat(nodes.statusCode()).isEqualTo(200);
    assertThat(Http.json(nodes).get(0).get("ha").get("epoch").asInt()).isEqualTo(3);
    assertThat(http.put("/api/vhosts/team", "").statusCode()).isEqualTo(201);
    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("rabbitmq_queues ", "warren_test_epoch 3.0");
    assertThat(http.as(null, null).get("/ha/primary").statusCode()).isEqualTo(503);

    server.detach();
    assertThat(http.as("guest", "guest").get("/api/vhosts").statusCode()).isEqualTo(503);
    assertThat(http.get("/metrics").body()).doesNotContain("rabbitmq_queues").contains("warren_test_epoch");

    server.attach(new FakeBroker()); // a new broker (a later promotion): a fresh API over it
    assertThat(http.as("guest", "guest").get("/api/vhosts").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/vhosts/team").statusCode()).isEqualTo(404);
  }

  @Test
  void keptLoginsLetTheAddedRoutesLogInWhileDetachedAndTheApiStillAnswers503() throws Exception {
    server.route("GET", "/api/node/thing", true, r -> Response.ok(Map.of("user", r.user().name())));
    server.attach(new FakeBroker());
    server.detach();
    assertThat(http.as("guest", "guest").get("/api/node/thing").statusCode()).as("not kept by default")
        .isEqualTo(503);

    server.keepLoginsWhileDetached();
    server.attach(new FakeBroker());
    server.detach();
    HttpResponse<String> thing = http.as("guest", "guest").get("/api/node/thing");
    assertThat(thing.statusCode()).isEqualTo(200);
    assertThat(Http.json(thing).get("user").asText()).isEqualTo("guest");
    assertThat(http.as("guest", "wrong").get("/api/node/thing").statusCode()).isEqualTo(401);
    assertThat(http.as(null, null).get("/api/node/thing").statusCode()).isEqualTo(401);
    assertThat(http.as("guest", "guest").get("/api/overview").statusCode()).isEqualTo(503);
  }

  @Test
  void aLaterRouteAnswersFromAnotherThreadWhileOtherRequestsAreServed() throws Exception {
    java.util.concurrent.CompletableFuture<Response> answer = new java.util.concurrent.CompletableFuture<>();
    server.route("POST", "/api/slow", io.warren.management.http.Guard.NONE,
        io.warren.management.http.RouteHandler.later(r -> answer));
    server.route("POST", "/api/failing", io.warren.management.http.Guard.NONE,
        io.warren.management.http.RouteHandler.later(r -> java.util.concurrent.CompletableFuture.failedFuture(
            new io.warren.management.spi.AdminException(409, "conflict", "not now"))));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> slow =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return http.post("/api/slow", null);
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
    // the event loop is not held: another connection is answered while the slow one waits
    assertThat(http.as(null, null).get("/ha/primary").statusCode()).isEqualTo(503);
    assertThat(slow).isNotDone();
    new Thread(() -> answer.complete(Response.ok(Map.of("done", true))), "test-answer").start();
    HttpResponse<String> done = slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(Http.json(done).get("done").asBoolean()).isTrue();
    HttpResponse<String> failed = http.post("/api/failing", null);
    assertThat(failed.statusCode()).isEqualTo(409);
    assertThat(Http.json(failed).get("reason").asText()).isEqualTo("not now");
  }
}
