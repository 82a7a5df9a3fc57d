package io.warren.server.vhost;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.routing.Binding;
import io.warren.routing.Deletions;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.VirtualHost;
import io.warren.server.durable.DefinitionLog;
import io.warren.store.QueueJournal;
import io.warren.store.durable.MessageStore;
import io.warren.store.MessageQueue;
import io.warren.store.MessageSpill;
import io.warren.store.QueueListener;
import io.warren.store.QueueSettings;
import io.warren.store.Residency;
import io.warren.store.SerialExecutor;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A virtual host at run time: its routing topology and its queues. Lookups are lock-free; definition changes
 * (declare, delete) are serialized on this object, which is never held while calling into a queue's executor.
 * Any thread.
 */
public final class BrokerVhost {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final Executor queuePool;
  private final ConcurrentHashMap<String, DeclaredQueue> queues = new ConcurrentHashMap<>();
  /** Bumped (under this vhost's monitor) whenever a queue is added or forgotten: listings reuse their sort until then. */
  private volatile int queueSetVersion;
  private final VirtualHost routing;
  /** Where durable definition changes are written; null for a broker without a store (unit tests). */
  private final DefinitionLog definitions;
  /** Where backlogged queues page out what the store does not hold (transient messages); null keeps it in memory. */
  private final MessageSpill spill;
  private final Residency residency;
  /** Turns a queue's settings into its effective features (arguments over policies); set once at startup. */
  private volatile java.util.function.Function<QueueSettings, io.warren.store.QueueFeatures> featuresOf =
      s -> io.warren.store.QueueFeatures.NONE;
  /** This vhost's message counters (publish, deliver, ack...) for the management API; channels increment them. */
  private final io.warren.management.spi.MessageCounters counters = new io.warren.management.spi.MessageCounters();
  private final ExchangeCounters exchangeCounters = new ExchangeCounters();
  /** Where queue declarations, creations and deletions are counted; the broker shares its own. */
  private volatile io.warren.management.spi.ChurnCounters churn = new io.warren.management.spi.ChurnCounters();
  /** Clock, timer, dead letters and retries for the queues' features; null until set (unit tests). */
  private volatile io.warren.store.QueueHooks hooks;
  /** The vhost's max-queues limit (-1: none), set by the registry. */
  private volatile int maxQueues = -1;
  /** Set once the vhost is deleted: its definitions are no longer logged (its deletion record covers them). */
  private volatile boolean deleted;
  /**
   * The firehose tracer while tracing is on, else null: the publish and deliver paths read this one field per message
   * and do nothing more when it is null. Not a definition (RabbitMQ's tracing is off at every start).
   */
  private volatile Firehose firehose;

  public BrokerVhost(String name, Executor queuePool) {
    this(name, queuePool, null);
  }

  public BrokerVhost(String name, Executor queuePool, DefinitionLog definitions) {
    this(name, queuePool, definitions, null);
  }

  public BrokerVhost(String name, Executor queuePool, DefinitionLog definitions, MessageSpill spill) {
    this(name, queuePool, definitions, spill, Residency.DEFAULT);
  }

  /** @param residency how much of a queue's backlog stays in memory before the rest is paged out */
  public BrokerVhost(String name, Executor queuePool, DefinitionLog definitions, MessageSpill spill,
      Residency residency) {
    this.residency = residency;
    this.spill = spill;
    this.name = name;
    this.queuePool = queuePool;
    this.routing = new VirtualHost(name, queues::containsKey);
    this.definitions = definitions;
  }

  /**
   * Sets how queue settings become features and the collaborators those features need; called at startup, before
   * any queue is created or restored.
   */
  public void queueFeatures(java.util.function.Function<QueueSettings, io.warren.store.QueueFeatures> featuresOf,
      io.warren.store.QueueHooks hooks) {
    this.featuresOf = java.util.Objects.requireNonNull(featuresOf, "featuresOf");
    this.hooks = hooks;
  }

  /** The effective features of a queue with these settings (throws ChannelException if an argument is invalid). */
  public io.warren.store.QueueFeatures featuresOf(QueueSettings settings) {
    return featuresOf.apply(settings);
  }

  /** The message store persistent messages for this vhost's durable queues go to, or null. */
  public MessageStore store() {
    return definitions == null ? null : definitions.store();
  }

  public String name() {
    return name;
  }

  public VirtualHost routing() {
    return routing;
  }

  /** The queue, or null. */
  public DeclaredQueue queue(String queueName) {
    return queues.get(queueName);
  }

  /** The queue, checked for existence and exclusivity as every queue method except declare needs. */
  public DeclaredQueue requireQueue(String queueName, Object connection) {
    DeclaredQueue q = queues.get(queueName);
    if (q == null) {
      throw notFound(queueName);
    }
    if (q.ownedByOther(connection)) {
      throw locked(queueName);
    }
    return q;
  }

  public ChannelException notFound(String queueName) {
    return new ChannelException(ReplyCode.NOT_FOUND, "no queue '" + queueName + "' in vhost '" + name + "'");
  }

  private ChannelException locked(String queueName) {
    return new ChannelException(ReplyCode.RESOURCE_LOCKED, "cannot obtain exclusive access to locked queue '"
        + queueName + "' in vhost '" + name + "'. It could be originally declared on another connection or the "
        + "exclusive property value does not match that of the original declaration.");
  }

  public static String serverNamedQueue() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "amq.gen-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public QueueDeclaration declarePassive(String queueName, Object connection) {
    DeclaredQueue q = requireQueue(queueName, connection);
    q.queue().touch(); // a declare counts as use for x-expires, passive or not (as in RabbitMQ)
    return new QueueDeclaration(q, q.queue().messageCount(), q.queue().consumerCount(), false);
  }

  /**
   * Declares a queue or checks that an existing one is equivalent.
   *
   * @param owner the declaring connection: it owns the queue if the settings say exclusive
   */
  public synchronized QueueDeclaration declare(QueueSettings settings, Object owner) {
    churn.queuesDeclared.increment();
    DeclaredQueue existing = queues.get(settings.name());
    if (existing != null && existing.queue().isDeleted()) {
      // deleted on its own executor, not yet forgotten: for the declarer it is gone already, as in RabbitMQ
      forget(existing.queue());
      existing = null;
    }
    if (existing != null) {
      if (existing.ownedByOther(owner) || existing.settings().exclusive() != settings.exclusive()) {
        throw locked(settings.name());
      }
      QueueSettings cur = existing.settings();
      Equivalence.check("queue", cur.name(), name, "durable", settings.durable(), cur.durable());
      Equivalence.check("queue", cur.name(), name, "auto_delete", settings.autoDelete(), cur.autoDelete());
      Equivalence.checkArguments("queue", cur.name(), name, settings.arguments(), cur.arguments(),
          Equivalence.QUEUE_ARGUMENTS);
      existing.queue().touch();
      return new QueueDeclaration(existing, existing.queue().messageCount(), existing.queue().consumerCount(), false);
    }
    checkNotDeleted();
    int limit = maxQueues;
    if (limit >= 0 && queues.size() >= limit) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "cannot declare queue '" + settings.name()
          + "': queue limit in vhost '" + name + "' (" + limit + ") is reached", 50, 10);
    }
    DeclaredQueue declared = create(settings, owner);
    if (definitions != null && isDurable(settings)) {
      definitions.queueDeclared(name, settings);
    }
    return new QueueDeclaration(declared, 0, 0, true);
  }

  /** Recreates a durable queue found in the log at startup (not logged again). */
  public synchronized DeclaredQueue restore(QueueSettings settings) {
    try {
      return create(settings, null);
    } catch (ChannelException e) {
      // declared before its arguments were checked: keep the queue and its messages, without the bad features
      org.slf4j.LoggerFactory.getLogger(BrokerVhost.class).warn("Queue '{}' in vhost '{}' recovered without its "
          + "arguments' features: {}", settings.name(), name, e.getMessage());
      return create(settings, null, io.warren.store.QueueFeatures.NONE);
    }
  }

  private DeclaredQueue create(QueueSettings settings, Object owner) {
    // validated before anything is created: an invalid argument leaves no trace
    return create(settings, owner, featuresOf.apply(settings));
  }

  private DeclaredQueue create(QueueSettings settings, Object owner, io.warren.store.QueueFeatures features) {
    QueueListener listener = this::forget;
    QueueJournal journal = definitions != null && isDurable(settings)
        ? definitions.store().journal(name, settings.name()) : null;
    MessageQueue queue = new MessageQueue(name, settings,
        new SerialExecutor(queuePool, "queue " + name + "/" + settings.name()), listener, journal, spill, residency,
        hooks == null ? io.warren.store.QueueFeatures.NONE : features, hooks);
    DeclaredQueue declared = new DeclaredQueue(queue, settings, settings.exclusive() ? owner : null);
    queues.put(settings.name(), declared);
    queueSetVersion++;
    churn.queuesCreated.increment();
    return declared;
  }

  /** Exclusive queues never survive a restart, even if declared durable (as RabbitMQ). */
  public static boolean isDurable(QueueSettings settings) {
    return settings.durable() && !settings.exclusive();
  }

  // ---- exchanges and bindings: changed and logged under this vhost's lock, so the log has their real order ----

  public synchronized void declareExchange(Exchange e) {
    checkNotDeleted();
    boolean existed = routing.exchange(e.name()).isPresent();
    routing.declareExchange(e);
    if (!existed && e.durable() && definitions != null) {
      definitions.exchangeDeclared(name, e);
    }
  }

  public synchronized void deleteExchange(String exchange, boolean ifUnused) {
    boolean durable = routing.exchange(exchange).map(Exchange::durable).orElse(false);
    Deletions d = routing.deleteExchange(exchange, ifUnused);
    exchangeCounters.deleted(exchange);
    if (durable && definitions != null && !deleted) {
      definitions.exchangeDeleted(name, exchange);
    }
    logDeletions(d);
  }

  public synchronized void bind(Binding b) {
    checkNotDeleted();
    if (routing.bind(b) && definitions != null && isDurable(b)) {
      definitions.bound(name, b);
    }
  }

  public synchronized void unbind(Binding b) {
    boolean durable = isDurable(b);
    Deletions d = routing.unbind(b);
    if (durable && definitions != null && !deleted && d.bindings().contains(b)) {
      definitions.unbound(name, b);
    }
    logDeletions(d);
  }

  private boolean isDurable(Binding b) {
    boolean source = routing.exchange(b.source()).map(Exchange::durable).orElse(false);
    if (b.destination().kind() == Destination.Kind.QUEUE) {
      DeclaredQueue q = queues.get(b.destination().name());
      return source && q != null && isDurable(q.settings());
    }
    return source && routing.exchange(b.destination().name()).map(Exchange::durable).orElse(false);
  }

  /** Cascades (auto-deleted exchanges); the bindings of a deleted exchange or queue go with it on replay. */
  private void logDeletions(Deletions d) {
    for (Exchange e : d.exchanges()) {
      exchangeCounters.deleted(e.name()); // auto-deleted with their last binding
    }
    if (definitions == null || deleted) {
      return;
    }
    for (Exchange e : d.exchanges()) {
      if (e.durable()) {
        definitions.exchangeDeleted(name, e.name());
      }
    }
  }

  /** This vhost's durable definitions as a snapshot entry; the caller holds this vhost's lock. */
  public io.warren.server.durable.DefinitionsSnapshot.Topology durableDefinitions() {
    List<Exchange> exchanges = new java.util.ArrayList<>();
    for (Exchange e : routing.exchanges()) {
      if (e.durable() && !e.name().isEmpty() && !e.name().startsWith("amq.")) {
        exchanges.add(e);
      }
    }
    List<QueueSettings> durableQueues = new java.util.ArrayList<>();
    for (DeclaredQueue q : queues.values()) {
      if (isDurable(q.settings()) && !q.queue().isDeleted()) {
        durableQueues.add(q.settings());
      }
    }
    List<Binding> bindings = new java.util.ArrayList<>();
    for (Binding b : routing.bindings()) {
      if (!b.source().isEmpty() && isDurable(b)) {
        bindings.add(b);
      }
    }
    return new io.warren.server.durable.DefinitionsSnapshot.Topology(name, exchanges, durableQueues, bindings);
  }

  // ---- run-time registry ----

  /**
   * The vhost's policies changed: every queue recomputes its features (its arguments over the policy that matches it
   * now) and follows them on its executor, and exchanges without their own alternate exchange take the policy's.
   * Completes once every queue has. Any thread.
   */
  public CompletableFuture<Void> reapplyFeatures() {
    routing.reapplyAlternateExchangePolicy();
    List<CompletableFuture<?>> done = new java.util.ArrayList<>();
    if (hooks == null) {
      return CompletableFuture.completedFuture(null);
    }
    for (DeclaredQueue q : queues.values()) {
      // computed on the queue's executor, so the last of several quick policy changes is the one that sticks; a
      // queue whose arguments are refused now (recovered without its features) keeps what it has
      done.add(q.queue().updateFeatures(() -> {
        try {
          return featuresOf.apply(q.settings());
        } catch (ChannelException e) {
          return q.queue().features();
        }
      }).exceptionally(e -> null));
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
  }

  /** Sets the max-queues limit (-1: none); any thread. */
  public void maxQueues(int limit) {
    this.maxQueues = limit;
  }

  public int maxQueues() {
    return maxQueues;
  }

  /** The tracer while tracing is on, null while it is off; any thread, read once per message. */
  public Firehose firehose() {
    return firehose;
  }

  /** Turns tracing on (a tracer) or off (null); any thread, effective for the next message each channel handles. */
  public void firehose(Firehose tracer) {
    this.firehose = tracer;
  }

  public boolean isDeleted() {
    return deleted;
  }

  private void checkNotDeleted() {
    if (deleted) {
      throw new ChannelException(ReplyCode.NOT_FOUND, "vhost '" + name + "' is deleted");
    }
  }

  /**
   * Deletes the vhost's queues, exchanges and bindings (its deletion record, written by the registry, removes their
   * durable state, so nothing more is logged); completes once every queue is deleted on its executor.
   */
  public CompletableFuture<Void> deleteAll() {
    List<DeclaredQueue> all;
    synchronized (this) {
      deleted = true;
      all = List.copyOf(queues.values());
    }
    List<CompletableFuture<?>> done = new java.util.ArrayList<>();
    for (DeclaredQueue q : all) {
      done.add(q.queue().delete(false, false).exceptionally(e -> 0));
    }
    synchronized (this) {
      for (Exchange e : List.copyOf(routing.exchanges())) {
        if (!e.name().isEmpty()) {
          try {
            routing.deleteExchange(e.name(), false);
          } catch (RuntimeException ignored) {
            // already gone with a cascade
          }
        }
      }
    }
    return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
  }

  public java.util.Collection<DeclaredQueue> queues() {
    return queues.values();
  }

  /** Deletes a queue (queue.delete); completes with the number of messages it held. */
  public CompletableFuture<Integer> delete(DeclaredQueue q, boolean ifUnused, boolean ifEmpty) {
    return q.queue().delete(ifUnused, ifEmpty);
  }

  /**
   * Called by a queue once it is deleted, whatever deleted it: forget it and its bindings, once. The bindings go
   * under the same lock as the entry, so that they can never be taken from a new queue declared under the same name.
   * Lock order: this vhost, then the routing topology's lock.
   */
  private synchronized void forget(MessageQueue queue) {
    String queueName = queue.settings().name();
    DeclaredQueue q = queues.get(queueName);
    if (q != null && q.queue() == queue) {
      queues.remove(queueName);
      queueSetVersion++;
      churn.queuesDeleted.increment();
      Deletions d = routing.removeDestination(new Destination(Destination.Kind.QUEUE, queueName));
      if (definitions != null && !deleted && isDurable(q.settings())) {
        definitions.queueDeleted(name, queueName);
      }
      logDeletions(d);
    }
  }

  /** Deletes the exclusive queues a closing connection owned. */
  public void deleteOwnedBy(Object connection) {
    List<DeclaredQueue> owned = queues.values().stream().filter(q -> q.owner() == connection).toList();
    for (DeclaredQueue q : owned) {
      q.queue().delete(false, false);
    }
  }

  /** Changes whenever a queue is added or removed (read before {@link #queues()} to know a listing is current). */
  public int queueSetVersion() {
    return queueSetVersion;
  }

  public int queueCount() {
    return queues.size();
  }

  public io.warren.management.spi.MessageCounters counters() {
    return counters;
  }

  /** Its exchanges' publish_in/publish_out counters for the management API; channels increment them. */
  public ExchangeCounters exchangeCounters() {
    return exchangeCounters;
  }

  /** Counts queue churn into the broker's counters (set at startup). */
  public void churn(io.warren.management.spi.ChurnCounters brokerChurn) {
    this.churn = brokerChurn;
  }
}
