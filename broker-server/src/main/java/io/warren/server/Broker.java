package io.warren.server;

import io.warren.server.auth.AccessControl;
import io.warren.server.config.BrokerConfig;
import io.warren.server.durable.DefinitionLog;
import io.warren.server.flow.DiskAlarm;
import io.warren.server.flow.MemoryAlarm;
import io.warren.server.flow.ResourceAlarm;
import io.warren.server.net.AmqpServer;
import io.warren.server.registry.Recovery;
import io.warren.server.registry.Registry;
import io.warren.server.registry.VhostLifecycle;
import io.warren.server.schedule.Schedule;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.TransientStore;
import io.warren.store.log.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running broker: its vhosts, the queue thread pool and the AMQP listener. Any thread. */
public final class Broker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  /** Refused connections: at most this many full WARN lines per interval, then counts per reason and peer. */
  private static final long REJECTION_LOG_INTERVAL_MS = 10_000;
  private static final int REJECTION_LOG_LINES = 10;
  /** How often the broker looks whether its log failed. */
  private static final long STORE_CHECK_MS = 200;

  private final BrokerConfig config;
  /** Vhosts, users, permissions, policies, limits and live connections, changed at run time. */
  private final Registry registry;
  /** Node-wide message counters and object churn, read by the management API and Prometheus. */
  private final io.warren.management.spi.MessageCounters counters = new io.warren.management.spi.MessageCounters();
  private final io.warren.management.spi.ChurnCounters churn = new io.warren.management.spi.ChurnCounters();
  /** The management HTTP listener, null when warren.http.enabled is false or before start. */
  private volatile io.warren.management.ManagementServer management;
  /** A listener that outlives this broker (a pair member's), which it attaches to instead of starting its own. */
  private volatile io.warren.management.ManagementServer sharedManagement;
  private final Clock clock;
  private final ExecutorService queuePool;
  private final AmqpServer server;
  private final MemoryAlarm memoryAlarm;
  private final DiskAlarm diskAlarm;
  /** connection.tune's channel-max, which operators change at run time. */
  private final io.warren.server.config.ChannelMax channelMax;
  private final MessageStore store;
  /** Wakes queues for TTL expiry and x-expires; tasks only post to a queue's executor. */
  private final java.util.concurrent.ScheduledExecutorService timer;
  /** Transient messages paged out by backlogged queues; wiped at startup and shutdown. */
  private final TransientStore transients;
  /** WARN lines for refused connections, aggregated so that a flood of them cannot flood the log. */
  private final io.warren.server.net.RejectionLog rejections;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Runnable onFailure = () -> { };
  /** Delayed messages and retries waiting for their due time (durable, in the store). */
  private final Schedule schedule;
  /** Direct reply-to names of the consuming channels, broker-wide as a reply may come from any connection. */
  private final io.warren.server.replyto.DirectReplyTo directReplyTo = new io.warren.server.replyto.DirectReplyTo();

  private Broker(BrokerConfig config, Clock clock, MessageStore store, TransientStore transients,
      LongSupplier freeDisk) {
    this.store = store;
    this.transients = transients;
    DefinitionLog definitions = new DefinitionLog(store);
    this.config = config;
    this.clock = clock;
    this.queuePool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        namedThreads("warren-queue-"));
    java.util.concurrent.ScheduledThreadPoolExecutor queueTimer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
        r -> {
          Thread t = new Thread(r, "warren-queue-timer");
          t.setDaemon(true);
          return t;
        });
    // queues re-arm their expiry wakeups often: a cancelled one must not stay queued until its time
    queueTimer.setRemoveOnCancelPolicy(true);
    this.timer = queueTimer;
    this.rejections = new io.warren.server.net.RejectionLog(queueTimer, REJECTION_LOG_INTERVAL_MS,
        REJECTION_LOG_LINES);
    this.schedule = new Schedule(store, clock, Map.of());
    this.registry = new Registry(definitions, new VhostLifecycle() {
      @Override
      public BrokerVhost create(String name) {
        BrokerVhost v = new BrokerVhost(name, queuePool, definitions, transients, config.residency());
        wireQueueFeatures(v);
        schedule.register(v);
        return v;
      }

      @Override
      public void deleted(BrokerVhost vhost) {
        schedule.unregister(vhost);
      }
    }, config.loopbackUsers());
    this.memoryAlarm = memoryAlarm(config);
    if (transients != null) {
      transients.adviseWhen(memoryAlarm::aboveSpillWatermark);
    }
    long diskLimit = config.limits().diskFreeLimit();
    this.diskAlarm = freeDisk == null ? new DiskAlarm(config.dataDir(), diskLimit)
        : new DiskAlarm(diskLimit, freeDisk);
    this.channelMax = new io.warren.server.config.ChannelMax(config.limits().channelMax());
    this.server = new AmqpServer(this, clock);
  }

  /**
   * The memory alarm at the configured watermark: a fraction of the memory limit (configured, or detected from the
   * cgroup, the RAM and the JVM's own maximum) or an absolute size; transient messages spill from a fraction of it on.
   */
  private static MemoryAlarm memoryAlarm(BrokerConfig config) {
    BrokerConfig.Limits l = config.limits();
    long total = io.warren.server.flow.MemoryLimit.total(l.totalMemory());
    long high = l.memoryHighWatermarkBytes() > 0 ? l.memoryHighWatermarkBytes()
        : (long) (total * (l.memoryHighWatermark() > 0 ? l.memoryHighWatermark()
            : BrokerConfig.Limits.DEFAULT_MEMORY_HIGH_WATERMARK));
    long spill = (long) (high * config.residency().spillWatermark());
    boolean disabled = l.memoryHighWatermarkBytes() == 0 && l.memoryHighWatermark() == 0;
    LOG.info("Memory limit {} MiB ({}), high watermark {} MiB{}, transient messages spill above {} MiB",
        total >> 20, l.totalMemory() > 0 ? "configured" : "detected", high >> 20, disabled ? " (alarm disabled)" : "",
        spill >> 20);
    if (high > io.warren.server.flow.MemoryLimit.jvmCapacity()) {
      LOG.warn("The memory high watermark ({} MiB) is above what this JVM can hold (max heap + max direct memory: "
          + "{} MiB): raise -Xmx / -XX:MaxDirectMemorySize or lower the watermark", high >> 20,
          io.warren.server.flow.MemoryLimit.jvmCapacity() >> 20);
    }
    return new MemoryAlarm(disabled ? Long.MAX_VALUE : high, spill);
  }

  /**
   * Gives a new vhost its queue-feature function (arguments over the registry's policies as they are when asked) and
   * hooks, before any queue of it is created or restored.
   */
  private void wireQueueFeatures(BrokerVhost v) {
    String vhostName = v.name();
    // DLX: this vhost's dead-letter sink (x-death headers, cycles, republish)
    io.warren.store.DeadLetterSink deadLetters = new io.warren.server.deadletter.DeadLetters(v, clock);
    // DELAY: the redelivery scheduler for x-retry-* queues (null requeues at once)
    io.warren.store.RedeliveryScheduler retries =
        new io.warren.server.schedule.RetryScheduler(schedule, this::vhost);
    v.churn(churn);
    v.queueFeatures(s -> io.warren.server.vhost.QueueArguments.features(s, vhostName, registry.policies(vhostName)),
        new io.warren.store.QueueHooks(clock::millis, timer, deadLetters, retries));
    v.routing().alternateExchangePolicy(exchange -> {
      io.warren.server.config.Policy p = registry.policies(vhostName).forExchange(vhostName, exchange);
      return p == null ? null : p.definition().alternateExchange();
    });
  }

  /** Starts a broker and binds its listener; fails with IllegalStateException if it cannot. */
  public static Broker start(BrokerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Broker start(BrokerConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /** @param freeDisk free bytes on the data directory's file system, for tests; null measures the real one */
  public static Broker start(BrokerConfig config, Clock clock, LongSupplier freeDisk) {
    return start(config, clock, freeDisk, store -> { }, store -> { }, null);
  }

  /**
   * As {@link #start(BrokerConfig)}, calling {@code afterOpen} with the store before recovery appends anything, and
   * {@code beforeListening} with the recovered store before the AMQP listener is bound: how a mirrored primary begins
   * its epoch and starts replication before any client publishes.
   */
  public static Broker start(BrokerConfig config, java.util.function.Consumer<MessageStore> afterOpen,
      java.util.function.Consumer<MessageStore> beforeListening) {
    return start(config, Clock.systemUTC(), null, afterOpen, beforeListening, null);
  }

  /**
   * As {@link #start(BrokerConfig, java.util.function.Consumer, java.util.function.Consumer)}, with the management API
   * attached to {@code http}, a listener started by the caller that outlives the broker (closing the broker only
   * detaches it).
   */
  public static Broker start(BrokerConfig config, java.util.function.Consumer<MessageStore> afterOpen,
      java.util.function.Consumer<MessageStore> beforeListening, io.warren.management.ManagementServer http) {
    return start(config, Clock.systemUTC(), null, afterOpen, beforeListening, http);
  }

  private static Broker start(BrokerConfig config, Clock clock, LongSupplier freeDisk,
      java.util.function.Consumer<MessageStore> afterOpen, java.util.function.Consumer<MessageStore> beforeListening,
      io.warren.management.ManagementServer http) {
    prepareDataDir(config);
    MessageStore store = openStore(config.dataDir().resolve("log"));
    TransientStore transients;
    try {
      afterOpen.accept(store);
      transients = openTransients(config.dataDir().resolve("transient"));
    } catch (RuntimeException e) {
      closeQuietly(store);
      throw e;
    }
    Broker broker = new Broker(config, clock, store, transients, freeDisk);
    broker.sharedManagement = http;
    try {
      broker.recover();
      broker.importDefinitions();
      // HTTP first: once the AMQP port accepts clients the broker is fully started (scripts wait for that port)
      broker.startManagement();
      beforeListening.accept(store);
      broker.server.bind();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    LOG.info("Warren {} listening for AMQP 0-9-1 on {}:{}, data in {}", config.server().version(),
        config.amqp().bindAddress(), broker.port(), config.dataDir().toAbsolutePath());
    return broker;
  }

  /** The adapter the management API and Prometheus read the broker through. */
  private io.warren.server.admin.BrokerAdmin admin() {
    return new io.warren.server.admin.BrokerAdmin(new io.warren.server.admin.BrokerAdmin.Parts(config, registry,
        counters, churn, memoryAlarm, diskAlarm, channelMax, this::port, () -> management == null ? -1 : management.port(),
        clock));
  }

  private void startManagement() {
    if (sharedManagement != null) {
      sharedManagement.attach(admin());
      management = sharedManagement;
      return;
    }
    if (!config.http().enabled()) {
      return;
    }
    management = new io.warren.management.ManagementServer(managementConfig(config), admin()).start();
  }

  /** The management listener's settings from warren.http.*. */
  public static io.warren.management.ManagementConfig managementConfig(BrokerConfig config) {
    BrokerConfig.Http http = config.http();
    return new io.warren.management.ManagementConfig(http.bindAddress(), http.port(), http.maxBodyBytes(),
        http.metricsAuth(), http.sampleIntervalMillis(), 120);
  }

  /** warren.http.definitions-import-file: a RabbitMQ definitions file applied at start, before clients connect. */
  private void importDefinitions() {
    String file = config.http().definitionsImportFile();
    if (file.isEmpty()) {
      return;
    }
    Path path = Path.of(file);
    java.util.Map<String, Object> doc;
    try {
      doc = io.warren.management.http.Json.object(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new IllegalStateException("definitions file " + path.toAbsolutePath() + " cannot be read: " + e, e);
    } catch (io.warren.management.spi.AdminException e) {
      throw new IllegalStateException("definitions file " + path.toAbsolutePath() + " is not valid: " + e.reason(),
          e);
    }
    io.warren.management.definitions.ImportReport report;
    try {
      report = io.warren.management.definitions.DefinitionsImport.apply(admin(), doc, null);
    } catch (io.warren.management.spi.AdminException e) {
      throw new IllegalStateException("definitions file " + path.toAbsolutePath() + " is not valid: " + e.reason(),
          e);
    }
    LOG.info("Imported definitions from {}: applied {}", path.toAbsolutePath(), report.applied());
    for (java.util.Map<String, Object> skipped : report.notApplied()) {
      LOG.warn("Definitions file {}: not applied: {} '{}': {}", path.toAbsolutePath(), skipped.get("kind"),
          skipped.get("name"), skipped.get("reason"));
    }
  }

  private static MessageStore openStore(Path dir) {
    try {
      Files.createDirectories(dir);
      return MessageStore.open(dir, LogConfig.defaults());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("message store in " + dir.toAbsolutePath() + " cannot be opened: " + e, e);
    }
  }

  /** A fresh, empty log for paged-out transient messages (what an earlier run left there is deleted). */
  private static TransientStore openTransients(Path dir) {
    try {
      return TransientStore.open(dir, TransientStore.SEGMENT_BYTES);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("transient message store in " + dir.toAbsolutePath() + " cannot be opened: "
          + e, e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Closing {} failed: {}", c, e.toString());
    }
  }

  /** Durable definitions and persistent messages back from the log, before any client can connect. */
  private void recover() {
    try {
      Recovery.recover(store, registry, config, schedule);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the message store in " + store.log().directory() + ": " + e, e);
    }
    // a fresh snapshot frees old segments whose only remaining content is superseded definitions
    store.startRetention(registry::writeSnapshot, 1000);
    schedule.start();
    timer.scheduleWithFixedDelay(this::checkStore, STORE_CHECK_MS, STORE_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  private static void prepareDataDir(BrokerConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException("data directory " + config.dataDir().toAbsolutePath()
          + " cannot be created: " + e, e);
    }
    if (!Files.isWritable(config.dataDir())) {
      throw new IllegalStateException("data directory " + config.dataDir().toAbsolutePath() + " is not writable");
    }
  }

  public BrokerConfig config() {
    return config;
  }

  /** The users, permissions and topic permissions in force now (replaced by every registry change). */
  public AccessControl accessControl() {
    return registry.access();
  }

  /** The runtime registry: the management API's entry point. */
  public Registry registry() {
    return registry;
  }

  /** The running vhost, or null if there is none of that name. */
  public BrokerVhost vhost(String name) {
    return registry.vhost(name);
  }

  public io.warren.management.spi.MessageCounters counters() {
    return counters;
  }

  public io.warren.management.spi.ChurnCounters churn() {
    return churn;
  }

  /** The management HTTP listener (to add routes to it), or null if it is disabled. */
  public io.warren.management.ManagementServer management() {
    return management;
  }

  /** True while the store's log has not failed: the broker can confirm persistent publishes. */
  public boolean storeWritable() {
    return store.log().failure() == null;
  }

  /** The port the AMQP listener is bound to (useful with port 0). */
  public int port() {
    return server.port();
  }

  /** Direct reply-to: the channels consuming amq.rabbitmq.reply-to and their reply names. */
  public io.warren.server.replyto.DirectReplyTo directReplyTo() {
    return directReplyTo;
  }

  /** The durable schedule of delayed messages and retries. */
  public Schedule schedule() {
    return schedule;
  }

  /** Where refused and malformed connections are logged (aggregated). */
  public io.warren.server.net.RejectionLog rejections() {
    return rejections;
  }

  public MemoryAlarm memoryAlarm() {
    return memoryAlarm;
  }

  public DiskAlarm diskAlarm() {
    return diskAlarm;
  }

  /** The channel-max offered to connections opened from now on. */
  public io.warren.server.config.ChannelMax channelMax() {
    return channelMax;
  }

  /** The alarm that blocks publishers now (memory first, as RabbitMQ reports it), or null if none is raised. */
  public ResourceAlarm raisedAlarm() {
    return memoryAlarm.raised() ? memoryAlarm : diskAlarm.raised() ? diskAlarm : null;
  }

  /**
   * A write or fsync error fails the log for good (retrying is never safe: a failed fsync may have dropped dirty pages
   * and the next one may still report success), so nothing could be confirmed any more until the log is reopened from
   * what is really on disk. Rather than nack every publish until someone restarts it, the broker stops, saying why,
   * and runs {@link #onFailure} (Main exits with status 1, so that a supervisor restarts it and recovery reopens the
   * log).
   */
  private void checkStore() {
    io.warren.store.log.LogFailedException failure = store.log().failure();
    if (failure == null || !failing.compareAndSet(false, true)) {
      return;
    }
    LOG.error("Stopping: the message store's log in {} failed ({}); nothing more can be made durable or confirmed. "
        + "Every confirmed message is on disk: restart the broker to recover them and carry on.",
        store.log().directory().toAbsolutePath(), failure.getCause() != null ? failure.getCause() : failure);
    Thread stop = new Thread(() -> {
      close();
      onFailure.run();
    }, "warren-stop");
    stop.start();
  }

  /** What to do once the broker stopped because its log failed (it has closed itself by then). */
  public void onFailure(Runnable action) {
    this.onFailure = action;
  }

  /** Whether the broker stopped, or is stopping, because its log failed. */
  public boolean failed() {
    return failing.get();
  }

  /**
   * Closes every client connection with 320 CONNECTION_FORCED and {@code text}, waits up to {@code waitMillis} for
   * the clients to answer, then closes the broker.
   */
  public void closeClients(String text, long waitMillis) {
    server.closeClients(new io.warren.amqp.ConnectionException(io.warren.amqp.generated.ReplyCode.CONNECTION_FORCED, text));
    try {
      Thread.sleep(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /**
   * Stops the broker as rabbitmqctl's stop_app does: closes every client connection with 320 CONNECTION_FORCED and
   * {@code text}, waits until they have all answered (at most {@code maxWaitMillis}), then closes the broker.
   */
  public void stop(String text, long maxWaitMillis) {
    server.closeClients(new io.warren.amqp.ConnectionException(io.warren.amqp.generated.ReplyCode.CONNECTION_FORCED, text));
    server.awaitClientsClosed(maxWaitMillis);
    close();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    io.warren.management.ManagementServer m = management;
    if (m != null && m == sharedManagement) {
      m.detach(); // the listener is its owner's: it goes on serving without this broker
    } else if (m != null) {
      m.close();
    }
    server.close();
    schedule.close(); // before the queues and the store: it publishes into them
    memoryAlarm.close();
    diskAlarm.close();
    // the connections are closed: free the queues' messages (durable ones stay in the log)
    java.util.List<java.util.concurrent.CompletableFuture<Void>> stopped = new java.util.ArrayList<>();
    for (BrokerVhost v : registry.liveVhosts()) {
      v.queues().forEach(q -> stopped.add(q.queue().shutdown()));
    }
    try {
      java.util.concurrent.CompletableFuture.allOf(stopped.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Queues did not stop in time: {}", e.toString());
    }
    timer.shutdownNow();
    queuePool.shutdown();
    try {
      if (!queuePool.awaitTermination(5, TimeUnit.SECONDS)) {
        queuePool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Closing the message store failed: {}", e.toString());
    }
    closeQuietly(transients);
  }

  static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
