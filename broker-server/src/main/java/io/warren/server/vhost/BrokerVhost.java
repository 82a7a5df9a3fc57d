package io.warren.server.vhost;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.routing.Destination;
import io.warren.routing.VirtualHost;
import io.warren.store.MessageQueue;
import io.warren.store.QueueListener;
import io.warren.store.QueueSettings;
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
  private final VirtualHost routing;

  public BrokerVhost(String name, Executor queuePool) {
    this.name = name;
    this.queuePool = queuePool;
    this.routing = new VirtualHost(name, queues::containsKey);
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
    return new QueueDeclaration(q, q.queue().messageCount(), q.queue().consumerCount(), false);
  }

  /**
   * Declares a queue or checks that an existing one is equivalent.
   *
   * @param owner the declaring connection: it owns the queue if the settings say exclusive
   */
  public synchronized QueueDeclaration declare(QueueSettings settings, Object owner) {
    DeclaredQueue existing = queues.get(settings.name());
    if (existing != null) {
      if (existing.ownedByOther(owner) || existing.settings().exclusive() != settings.exclusive()) {
        throw locked(settings.name());
      }
      QueueSettings cur = existing.settings();
      Equivalence.check("queue", cur.name(), name, "durable", settings.durable(), cur.durable());
      Equivalence.check("queue", cur.name(), name, "auto_delete", settings.autoDelete(), cur.autoDelete());
      Equivalence.checkArguments("queue", cur.name(), name, settings.arguments(), cur.arguments(),
          Equivalence.QUEUE_ARGUMENTS);
      return new QueueDeclaration(existing, existing.queue().messageCount(), existing.queue().consumerCount(), false);
    }
    QueueListener listener = this::forget;
    MessageQueue queue = new MessageQueue(name, settings,
        new SerialExecutor(queuePool, "queue " + name + "/" + settings.name()), listener);
    DeclaredQueue declared = new DeclaredQueue(queue, settings, settings.exclusive() ? owner : null);
    queues.put(settings.name(), declared);
    return new QueueDeclaration(declared, 0, 0, true);
  }

  /** Deletes a queue (queue.delete); completes with the number of messages it held. */
  public CompletableFuture<Integer> delete(DeclaredQueue q, boolean ifUnused, boolean ifEmpty) {
    return q.queue().delete(ifUnused, ifEmpty);
  }

  /** Called by a queue once it is deleted, whatever deleted it: forget it and its bindings. */
  private void forget(MessageQueue queue) {
    String queueName = queue.settings().name();
    synchronized (this) {
      DeclaredQueue q = queues.get(queueName);
      if (q != null && q.queue() == queue) {
        queues.remove(queueName);
      }
    }
    routing.removeDestination(new Destination(Destination.Kind.QUEUE, queueName));
  }

  /** Deletes the exclusive queues a closing connection owned. */
  public void deleteOwnedBy(Object connection) {
    List<DeclaredQueue> owned = queues.values().stream().filter(q -> q.owner() == connection).toList();
    for (DeclaredQueue q : owned) {
      q.queue().delete(false, false);
    }
  }

  public int queueCount() {
    return queues.size();
  }
}
