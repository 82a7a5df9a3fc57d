package io.warren.server.channel;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicReturn;
import io.warren.amqp.generated.ReplyCode;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.routing.RouteResult;
import io.warren.server.schedule.DelayHeader;
import io.warren.server.schedule.Schedule;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.Message;
import io.warren.store.log.LogFailedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The publish branch for {@code x-delayed-message} exchanges: a message with {@code x-delay} > 0 is written to the
 * broker's {@link Schedule} instead of being routed, and confirmed once that record is durable (persistent or not:
 * the schedule keeps both in the log). It is stored with {@code x-delay} already negated (and BCC dropped), as the
 * plugin delivers it. Mandatory: unlike the plugin (which cannot tell), the routes are checked at publish time: a
 * mandatory delayed message its exchange routes nowhere now is returned (NO_ROUTE) and not scheduled; whether it
 * still has routes when due is not checked (it is then dropped silently). Only a publish to the delayed exchange
 * itself is delayed; a message reaching it through an exchange-to-exchange binding is routed at once. Confined to the
 * connection's event loop.
 */
final class DelayedPublishes {
  private final AmqpChannel channel;
  private final BrokerVhost vhost;
  private final Schedule schedule;

  DelayedPublishes(AmqpChannel channel, BrokerVhost vhost, Schedule schedule) {
    this.channel = channel;
    this.vhost = vhost;
    this.schedule = schedule;
  }

  /** The delay this publish asks for, or 0 when it is routed now (no delayed exchange, no or a bad x-delay). */
  long delayOf(String exchange, Map<String, Object> headers) {
    if (schedule == null || vhost.store() == null || !headers.containsKey(DelayHeader.X_DELAY)) {
      return 0;
    }
    Exchange x = vhost.routing().exchange(exchange).orElse(null);
    return x == null || x.type() != ExchangeType.X_DELAYED_MESSAGE ? 0 : DelayHeader.delay(headers);
  }

  /** Schedules a checked publish; takes over {@code rawProperties} and {@code body}. */
  void publish(BasicPublish m, BasicProperties props, Map<String, Object> headers, long delay, RouteResult route,
      int priority, ByteBuf rawProperties, ByteBuf body, Publisher.Outcomes confirms) {
    if (route.isEmpty() && m.mandatory()) {
      Message returned = new Message(-1, m.exchange(), m.routingKey(), rawProperties, body, props.persistent(),
          priority);
      try {
        channel.sendReturn(new BasicReturn(ReplyCode.NO_ROUTE.code(), "NO_ROUTE", m.exchange(), m.routingKey()),
            returned);
      } finally {
        returned.release();
      }
      if (confirms != null) {
        confirms.publish(0);
      }
      return;
    }
    Map<String, Object> stored = new LinkedHashMap<>(headers);
    stored.remove("BCC");
    ByteBuf storedProperties = rawProperties.alloc().buffer();
    rawProperties.release();
    long now = schedule.clock().millis();
    long position;
    try {
      props.withHeaders(DelayHeader.delivered(stored, delay)).encode(storedProperties);
      position = schedule.schedule(vhost, now + delay, priority, now, Message.NEVER, m.exchange(), m.routingKey(),
          storedProperties, body);
    } catch (LogFailedException e) {
      if (confirms != null) {
        confirms.publish(1).failed(e);
      }
      return;
    } finally {
      storedProperties.release();
      body.release();
    }
    if (confirms != null) {
      vhost.store().durable(position, confirms.publish(1));
    }
  }
}
