package io.warren.server;

import io.warren.management.ManagementServer;
import io.warren.server.admin.AppRoutes;
import io.warren.server.config.BrokerConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single node: its management HTTP listener, up for the life of the process, and the broker application behind it,
 * which can be stopped and started again in place as rabbitmqctl's stop_app and start_app do (the HTTP routes are
 * {@link AppRoutes}'). Stopping closes every client connection with 320 CONNECTION_FORCED and closes the broker (the
 * log cleanly, transient and exclusive queues gone); starting opens a new broker on the same data directory and
 * configuration, which recovers exactly as a process restart does. While stopped, the AMQP port refuses connections
 * and /api answers 503, and the last broker's users still log in to these routes (see
 * {@link ManagementServer#keepLoginsWhileDetached}).
 *
 * <p>Public methods from any thread; stops and starts run one at a time, in the order asked, on the "warren-app"
 * thread, so that concurrent requests never interleave.
 */
public final class NodeApp implements AppRoutes.App, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeApp.class);
  /** How long stop_app waits for clients to answer connection.close before closing their sockets. */
  private static final long CLIENTS_CLOSE_MILLIS = 2_000;
  /** What clients are told, as RabbitMQ words it for stop_app. */
  static final String SHUTDOWN_TEXT = "broker forced connection closure with reason 'shutdown'";

  private final ManagementServer http;
  private final Runnable onLogFailure;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(Broker.namedThreads("warren-app-"));
  /** The configuration every start uses: the one given, with the AMQP port the first start bound if it said 0. */
  private volatile BrokerConfig config;
  /** The running broker, or null while stopped. Written on the worker thread only. */
  private volatile Broker broker;
  private volatile String state = "starting";

  private NodeApp(BrokerConfig config, Runnable onLogFailure) {
    this.config = config;
    this.onLogFailure = onLogFailure;
    this.http = new ManagementServer(Broker.managementConfig(config));
    http.keepLoginsWhileDetached();
    http.unavailable(() -> "the broker application is " + state + " on this node"
        + (state.equals("stopped") ? " (warrenctl start_app starts it)" : ""));
    AppRoutes.register(http, this);
  }

  /**
   * Starts the node: recovers the broker, then binds the HTTP listener, then the AMQP one (as {@link Broker#start}
   * orders them). {@code onLogFailure} runs when a broker stopped itself because its log failed. Fails with
   * IllegalStateException if it cannot start.
   */
  public static NodeApp start(BrokerConfig config, Runnable onLogFailure) {
    NodeApp app = new NodeApp(config, onLogFailure);
    try {
      app.broker = app.open(store -> app.http.start());
    } catch (RuntimeException e) {
      app.worker.shutdown();
      app.http.close();
      throw e;
    }
    if (config.amqp().port() == 0) {
      app.config = config.withPort(app.broker.port()); // start_app listens where clients last found it
    }
    app.state = "running";
    return app;
  }

  private Broker open(java.util.function.Consumer<io.warren.store.durable.MessageStore> beforeListening) {
    Broker b = Broker.start(config, store -> { }, beforeListening, http);
    b.onFailure(onLogFailure);
    return b;
  }

  /** The running broker, or null while the application is stopped. */
  public Broker broker() {
    return broker;
  }

  /** The management HTTP listener, up while the application is stopped too. */
  public ManagementServer management() {
    return http;
  }

  @Override
  public String state() {
    return state;
  }

  @Override
  public CompletionStage<AppRoutes.Outcome> stop() {
    return CompletableFuture.supplyAsync(() -> {
      Broker b = broker;
      if (b == null) {
        return new AppRoutes.Outcome(false, state, null);
      }
      LOG.info("Stopping the broker application (stop_app): closing client connections");
      state = "stopping";
      try {
        b.stop(SHUTDOWN_TEXT, CLIENTS_CLOSE_MILLIS);
      } finally {
        broker = null;
        state = "stopped";
      }
      LOG.info("Broker application stopped; the HTTP listener stays up for start_app");
      return new AppRoutes.Outcome(true, state, null);
    }, worker);
  }

  @Override
  public CompletionStage<AppRoutes.Outcome> start() {
    return CompletableFuture.supplyAsync(() -> {
      if (broker != null) {
        return new AppRoutes.Outcome(false, state, null);
      }
      LOG.info("Starting the broker application (start_app): recovering from {}", config.dataDir().toAbsolutePath());
      state = "starting";
      try {
        broker = open(store -> { });
        state = "running";
        return new AppRoutes.Outcome(true, state, null);
      } catch (RuntimeException e) {
        state = "stopped";
        LOG.error("The broker application could not start: {}", e.getMessage());
        return new AppRoutes.Outcome(false, state, e.getMessage() != null ? e.getMessage() : e.toString());
      }
    }, worker);
  }

  /** Stops the application if it runs, then the HTTP listener (the process is ending). */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("A stop or start of the broker application was still under way at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Broker b = broker;
    broker = null;
    if (b != null) {
      b.close();
    }
    http.close();
  }
}
