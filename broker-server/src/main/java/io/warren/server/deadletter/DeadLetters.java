package io.warren.server.deadletter;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.LongString;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.Republisher;
import io.warren.store.DeadLetterSink;
import io.warren.store.DeadReason;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-lettering for one vhost, as RabbitMQ's classic queues do it: the message gets an {@code x-death} history entry,
 * loses its {@code expiration} (kept as {@code original-expiration}) and is republished to the queue's dead-letter
 * exchange with the dead-letter routing key, or with its own routing key and CC keys. Queues it would cycle back to
 * without a rejection are left out; a missing exchange drops it. The body is shared, never copied. Thread-safe: called
 * on the source queue's executor; never blocks.
 */
public final class DeadLetters implements DeadLetterSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final String CC = "CC";

  private final BrokerVhost vhost;
  private final Clock clock;

  /** @param clock gives x-death's {@code time} and the dead letter's arrival in its new queues */
  public DeadLetters(BrokerVhost vhost, Clock clock) {
    this.vhost = vhost;
    this.clock = clock;
  }

  @Override
  public void deadLetter(MessageQueue source, Message message, DeadReason reason, String deadLetterExchange,
      String deadLetterRoutingKey) {
    try {
      if (vhost.routing().exchange(deadLetterExchange).isEmpty()) {
        // RabbitMQ drops dead letters for a missing exchange without a word; so does a broker under load
        LOG.debug("Dropping a dead letter from queue '{}' in vhost '{}': no exchange '{}'", source.name(),
            vhost.name(), deadLetterExchange);
        return;
      }
      publish(source, message, reason, deadLetterExchange, deadLetterRoutingKey);
    } catch (RuntimeException e) {
      // never let a bad message break the source queue's executor
      LOG.warn("Dropping a dead letter from queue '{}' in vhost '{}': {}", source.name(), vhost.name(), e.toString());
    } finally {
      message.release();
    }
  }

  private void publish(MessageQueue source, Message message, DeadReason reason, String dlx, String dlrk) {
    BasicProperties props = BasicProperties.decode(message.rawProperties().duplicate());
    Map<String, Object> headers = props.headers() == null ? Map.of() : props.headers();
    long now = clock.millis();
    List<String> keys = routingKeys(message.routingKey(), headers.get(CC));
    Map<String, Object> newHeaders = DeathHistory.record(headers, new DeathHistory.Death(source.name(),
        reason.reason(), message.exchange(), keys, now / 1000, props.expiration()));
    if (dlrk != null) {
      newHeaders.remove(CC); // the dead-letter routing key replaces all of the message's keys
    }
    BasicProperties out = props.toBuilder().headers(newHeaders).expiration(null).build();
    Predicate<String> exclude = reason == DeadReason.REJECTED ? null
        : cycles(source.name(), (List<?>) newHeaders.get(DeathHistory.X_DEATH));
    // room for the old properties and one more x-death entry, so that encoding does not grow the buffer
    ByteBuf raw = message.rawProperties().alloc().buffer(message.rawProperties().readableBytes() + 256);
    ByteBuf body;
    try {
      out.encode(raw);
      body = message.body().retainedSlice();
    } catch (RuntimeException e) {
      raw.release();
      throw e;
    }
    Republisher.publish(vhost, new Republisher.Outgoing(dlx, dlrk != null ? dlrk : message.routingKey(), newHeaders,
        raw, body, message.persistent(), message.priority(), now, Message.NEVER), exclude);
  }

  /** The message's routing key and its CC keys, as x-death's {@code routing-keys} lists them. */
  private static List<String> routingKeys(String routingKey, Object cc) {
    List<String> keys = new ArrayList<>(1);
    keys.add(routingKey);
    if (cc instanceof List<?> list) {
      for (Object k : list) {
        if (k instanceof LongString || k instanceof String) {
          keys.add(k.toString());
        }
      }
    }
    return keys;
  }

  /** Leaves out (and says so at DEBUG) the target queues the dead letter would cycle into without a rejection. */
  private Predicate<String> cycles(String source, List<?> deaths) {
    return queue -> {
      if (!DeathHistory.isCycle(queue, deaths)) {
        return false;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("Dead letter from queue '{}' in vhost '{}' dropped for queue '{}': dead-letter cycle without "
            + "reason 'rejected' ({})", source, vhost.name(), queue, DeathHistory.queues(deaths));
      }
      return true;
    };
  }
}
