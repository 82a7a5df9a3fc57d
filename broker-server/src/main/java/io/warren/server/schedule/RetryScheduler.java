package io.warren.server.schedule;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.Timestamp;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.RedeliveryScheduler;
import io.warren.store.RetryPolicy;
import io.warren.store.log.LogFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delayed retries ({@code x-retry-*} queues) on the broker's {@link Schedule}: the rejected message gets
 * {@code x-retry-count} (long, attempts so far) and one more {@code x-retry-history} entry ({@code attempt} long,
 * {@code time} timestamp, {@code delay-ms} long), and is scheduled durably, before this returns, to be published to the
 * default exchange with the source queue's name as routing key, so it goes back to that queue only (it is then
 * delivered with exchange "" and that routing key). Called on the source queue's executor; never blocks.
 */
public final class RetryScheduler implements RedeliveryScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(RetryScheduler.class);
  public static final String COUNT = "x-retry-count";
  public static final String HISTORY = "x-retry-history";

  private final Schedule schedule;
  private final Function<String, BrokerVhost> vhosts;

  /** @param vhosts the vhost of a name (the source queue's) */
  public RetryScheduler(Schedule schedule, Function<String, BrokerVhost> vhosts) {
    this.schedule = schedule;
    this.vhosts = vhosts;
  }

  @Override
  public boolean schedule(MessageQueue source, Message message, RetryPolicy policy) {
    BasicProperties props = BasicProperties.decode(message.rawProperties().duplicate());
    Map<String, Object> headers = props.headers() == null ? Map.of() : props.headers();
    long count = count(headers.get(COUNT));
    if (count >= policy.maxAttempts()) {
      return false;
    }
    BrokerVhost vhost = vhosts.apply(source.vhost());
    if (vhost == null || vhost.store() == null) {
      return false;
    }
    int attempt = (int) count + 1;
    long delay = policy.delay(attempt);
    long now = schedule.clock().millis();
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("attempt", (long) attempt);
    entry.put("time", new Timestamp(now / 1000));
    entry.put("delay-ms", delay);
    List<Object> history = new ArrayList<>();
    if (headers.get(HISTORY) instanceof List<?> earlier) {
      history.addAll(earlier);
    }
    history.add(entry);
    Map<String, Object> retried = new LinkedHashMap<>(headers);
    retried.put(COUNT, (long) attempt);
    retried.put(HISTORY, history);
    ByteBuf raw = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      props.withHeaders(retried).encode(raw);
      schedule.schedule(vhost, now + delay, message.priority(), message.arrival(), message.expiresAt(), "",
          source.name(), raw, message.body());
    } catch (LogFailedException e) {
      LOG.warn("Dropping a retry of a message of queue '{}' in vhost '{}': the log has failed: {}", source.name(),
          source.vhost(), e.toString());
    } finally {
      raw.release();
    }
    message.release(); // not on an exception: the caller keeps its reference then
    return true;
  }

  private static long count(Object v) {
    if (v instanceof Number n) {
      return Math.max(0, n.longValue());
    }
    return 0;
  }
}
