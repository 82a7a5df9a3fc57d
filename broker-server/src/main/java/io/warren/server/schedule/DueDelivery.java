package io.warren.server.schedule;

import io.warren.amqp.BasicProperties;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.Stat;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.Republisher;
import io.warren.store.Message;
import io.warren.store.durable.MessageStore;
import java.time.Clock;
import java.util.Map;

/**
 * Publishes one due scheduled message: reads it back from the log and hands it to {@link Republisher}, which routes it
 * from the exchange in its record (a delayed exchange routes as its x-delayed-type; a deleted exchange drops it) and
 * logs it for its durable target queues. A delayed message arrives in its queues now, so its {@code expiration}
 * counts from now, as when the plugin routes it, and its exchange's publish_out counts it now; a retry (exchange "",
 * routed by the source queue's name only, CC ignored) keeps its arrival and expiry. Used by the scheduler's two
 * threads (blocking reads); holds no state but the store.
 */
final class DueDelivery {
  private final MessageStore store;
  private final Clock clock;

  DueDelivery(MessageStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * A scheduled message read back from the log ahead of its due time, with its properties decoded; holds one reference
   * of the message until {@link #publish} or {@link #release}.
   */
  record Prepared(Message message, BasicProperties properties) {
    void release() {
      message.release();
    }

    int size() {
      return message.bodySize() + message.rawProperties().readableBytes();
    }
  }

  /** Reads the message scheduled at {@code position} back (blocking file I/O). */
  Prepared prepare(long position) {
    Message m = store.read(position);
    try {
      return new Prepared(m, BasicProperties.decode(m.rawProperties().duplicate()));
    } catch (RuntimeException e) {
      m.release();
      throw e;
    }
  }

  /** Reads the message back and publishes it; returns how many queues took it. */
  int deliver(BrokerVhost vhost, long position) {
    return publish(vhost, prepare(position));
  }

  /** Publishes a prepared message (its reference is released); returns how many queues took it. */
  int publish(BrokerVhost vhost, Prepared p) {
    Message m = p.message();
    try {
      BasicProperties props = p.properties();
      boolean retry = m.exchange().isEmpty();
      long now = clock.millis();
      Map<String, Object> headers = retry || props.headers() == null ? Map.of() : props.headers();
      Republisher.Outgoing out = new Republisher.Outgoing(m.exchange(), m.routingKey(), headers,
          m.rawProperties().retain(), m.body().retain(), props.persistent(), m.priority(),
          retry ? m.arrival() : now, retry ? m.expiresAt() : expiresAt(props.expiration(), now));
      int taken = Republisher.publish(vhost, out, null);
      if (!retry && taken > 0) {
        countPublishOut(vhost, m.exchange(), taken);
      }
      return taken;
    } finally {
      m.release();
    }
  }

  /**
   * A delayed message leaves its exchange when it is due, not when it was published (that counted publish_in): its
   * exchange's publish_out counts it now, once per queue that took it, as a client's publish counts.
   */
  private static void countPublishOut(BrokerVhost vhost, String exchange, int queues) {
    MessageCounters c = vhost.exchangeCounters().find(exchange);
    if (c == null && vhost.routing().exchange(exchange).isPresent()) {
      c = vhost.exchangeCounters().of(exchange); // published before a restart: no counters yet
    }
    if (c != null) {
      c.add(Stat.PUBLISH_OUT, queues);
    }
  }

  /** The message's own expiry counted from {@code now}; an invalid expiration (refused at publish) means none. */
  static long expiresAt(String expiration, long now) {
    if (expiration == null) {
      return Message.NEVER;
    }
    try {
      long ttl = Long.parseLong(expiration);
      return ttl < 0 ? Message.NEVER : now + ttl;
    } catch (NumberFormatException e) {
      return Message.NEVER;
    }
  }
}
