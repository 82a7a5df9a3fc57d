package io.warren.server.vhost;

import io.netty.buffer.ByteBuf;
import io.warren.routing.RouteResult;
import io.warren.store.Message;
import io.warren.store.durable.MessageStore;
import io.warren.store.log.LogFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a message the broker itself produces (a dead letter, a delayed message that is due, a retry) into a
 * vhost: routes it, writes it once to the log for its durable target queues when it is persistent, and enqueues it.
 * Nobody waits for a confirm. The body is shared, never copied. Thread-safe: called from queue executors and the
 * scheduler thread; never blocks (appending to the log does not).
 */
public final class Republisher {
  private static final Logger LOG = LoggerFactory.getLogger(Republisher.class);

  private Republisher() {}

  /**
   * What to publish. {@code rawProperties} and {@code body} are one reference each, taken over by {@link #publish}.
   *
   * @param headers the message's headers, for headers exchanges and CC routing (BCC already stripped)
   * @param expiresAt epoch ms its own expiration ends, {@link Message#NEVER} for none
   */
  public record Outgoing(String exchange, String routingKey, Map<String, Object> headers, ByteBuf rawProperties,
      ByteBuf body, boolean persistent, int priority, long arrival, long expiresAt) {}

  /**
   * Routes and enqueues {@code m}, skipping the queues {@code exclude} rejects (dead-letter cycles); returns how many
   * queues took it. Unroutable messages are dropped, as RabbitMQ drops unroutable dead letters. If the log has failed
   * the message is dropped with a WARN (it cannot be made durable).
   */
  public static int publish(BrokerVhost vhost, Outgoing m, Predicate<String> exclude) {
    return publish(vhost, m, exclude, null);
  }

  /**
   * As {@link #publish(BrokerVhost, Outgoing, Predicate)}; when the message was appended to the log, {@code logged}
   * (if not null) gets its position, so that a caller that answers someone can wait for it to be durable first.
   */
  public static int publish(BrokerVhost vhost, Outgoing m, Predicate<String> exclude, LongConsumer logged) {
    Message message = null;
    try {
      RouteResult route = vhost.routing().exchange(m.exchange()).isPresent()
          ? vhost.routing().route(m.exchange(), m.routingKey(), m.headers())
          : RouteResult.EMPTY;
      List<DeclaredQueue> targets = new ArrayList<>(route.size());
      List<String> durable = new ArrayList<>(route.size());
      for (String name : route.queues()) {
        DeclaredQueue q = vhost.queue(name);
        if (q == null || (exclude != null && exclude.test(name))) {
          continue;
        }
        targets.add(q);
        if (BrokerVhost.isDurable(q.settings())) {
          durable.add(name);
        }
      }
      long id = -1;
      MessageStore store = vhost.store();
      if (m.persistent() && !durable.isEmpty() && store != null) {
        try {
          id = store.publish(m.priority(), m.arrival(), m.expiresAt(), -1, vhost.name(), m.exchange(),
              m.routingKey(), durable, m.rawProperties(), m.body());
          if (logged != null) {
            logged.accept(id);
          }
        } catch (LogFailedException e) {
          LOG.warn("Dropping a message for exchange '{}' in vhost '{}': the log has failed: {}", m.exchange(),
              vhost.name(), e.toString());
          m.rawProperties().release();
          m.body().release();
          return 0;
        }
      }
      message = new Message(id, m.exchange(), m.routingKey(), m.rawProperties(), m.body(), m.persistent(),
          m.priority(), m.arrival(), m.expiresAt());
      for (DeclaredQueue q : targets) {
        q.queue().enqueue(message.retain(), null);
      }
      return targets.size();
    } catch (RuntimeException e) {
      if (message == null) {
        m.rawProperties().release();
        m.body().release();
      }
      throw e;
    } finally {
      if (message != null) {
        message.release();
      }
    }
  }
}
