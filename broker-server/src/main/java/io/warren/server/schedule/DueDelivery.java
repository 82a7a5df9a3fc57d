package io.warren.server.schedule;

import io.warren.amqp.BasicProperties;
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
 * counts from now, as when the plugin routes it; a retry (exchange "", routed by the source queue's name only, CC
 * ignored) keeps its arrival and expiry. Confined to the scheduler's thread (blocking reads).
 */
final class DueDelivery {
  private final MessageStore store;
  private final Clock clock;

  DueDelivery(MessageStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Returns how many queues took the message. */
  int deliver(BrokerVhost vhost, long position) {
    Message m = store.read(position);
    try {
      BasicProperties props = BasicProperties.decode(m.rawProperties().duplicate());
      boolean retry = m.exchange().isEmpty();
      long now = clock.millis();
      Map<String, Object> headers = retry || props.headers() == null ? Map.of() : props.headers();
      Republisher.Outgoing out = new Republisher.Outgoing(m.exchange(), m.routingKey(), headers,
          m.rawProperties().retain(), m.body().retain(), props.persistent(), m.priority(),
          retry ? m.arrival() : now, retry ? m.expiresAt() : expiresAt(props.expiration(), now));
      return Republisher.publish(vhost, out, null);
    } finally {
      m.release();
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
