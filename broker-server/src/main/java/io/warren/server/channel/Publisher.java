package io.warren.server.channel;

import io.warren.management.spi.Stat;
import io.netty.buffer.ByteBuf;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ChannelException;
import io.warren.amqp.Command;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicReturn;
import io.warren.routing.Exchange;
import io.warren.routing.RouteResult;
import io.warren.routing.VirtualHost;
import io.warren.server.auth.Permission.Operation;
import io.warren.server.replyto.DirectReplyTo;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.store.EnqueueOutcome;
import io.warren.store.Message;
import java.util.Map;

/**
 * basic.publish for one channel: checks, routing, hand-off to the queues, mandatory returns and confirm numbering.
 * The body is never copied: the message shares the frames' buffers. Confined to the connection's event loop.
 */
final class Publisher {
  private final AmqpChannel channel;
  private final BrokerVhost vhost;
  private final VirtualHost routing;
  private final AccessGuard guard;
  private final String userName;
  /** A user tagged impersonator may publish with another user's user-id, as in RabbitMQ (tags as at login). */
  private final boolean impersonator;
  /** The last exchange checked for write access: publishers usually stick to one. */
  private String permittedExchange;
  /** The permissions {@link #permittedExchange} was checked against: a registry change checks it again. */
  private io.warren.server.auth.AccessControl permittedUnder;
  /** x-delayed-message exchanges: messages with x-delay go to the schedule instead of the queues. */
  private final DelayedPublishes delayed;

  /** Direct reply-to: this channel's reply name, and where replies addressed to reply names go. */
  private final DirectReplies replies;
  /** Credit flow: pauses the connection's reads while a queue or the log it feeds is behind. */
  private final io.warren.server.flow.PublishFlow flow;
  /** Confirms of persistent messages wait for the log once per read batch. */
  private final DurableWaits durableWaits;

  /** @param schedule where delayed messages wait; null routes every message at once */
  Publisher(AmqpChannel channel, BrokerVhost vhost, AccessGuard guard, io.warren.server.auth.User user,
      io.warren.server.schedule.Schedule schedule, DirectReplies replies, io.warren.server.flow.PublishFlow flow) {
    this.flow = flow;
    this.durableWaits = new DurableWaits(channel.eventLoop());
    this.delayed = new DelayedPublishes(channel, vhost, schedule);
    this.replies = replies;
    this.channel = channel;
    this.vhost = vhost;
    this.routing = vhost.routing();
    this.guard = guard;
    this.userName = user.name();
    this.impersonator = user.tags().contains("impersonator");
  }

  /** Checks a publish before it is buffered or performed; throws the channel error RabbitMQ would. */
  void check(Command command) {
    BasicPublish m = (BasicPublish) command.method();
    String exchange = m.exchange();
    io.warren.server.auth.AccessControl access = guard.current();
    if (!exchange.equals(permittedExchange) || access != permittedUnder) {
      guard.exchange(Operation.WRITE, exchange);
      permittedExchange = exchange;
      permittedUnder = access;
    }
    Exchange ex = routing.exchange(exchange).orElseThrow(() -> new ChannelException(ReplyCode.NOT_FOUND,
        "no exchange '" + exchange + "' in vhost '" + vhost.name() + "'", 60, 40));
    if (ex.internal()) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '" + exchange
          + "' in vhost '" + vhost.name() + "'", 60, 40);
    }
    if (ex.type() == io.warren.routing.ExchangeType.TOPIC) {
      guard.topic(Operation.WRITE, exchange, m.routingKey());
    }
    if (m.immediate()) {
      throw new io.warren.amqp.ConnectionException(ReplyCode.NOT_IMPLEMENTED, "immediate=true", 60, 40);
    }
  }

  /** Whoever waits for the queues to take a publish: the channel's confirms, or a tx.commit. */
  interface Outcomes {
    /**
     * A publish awaiting {@code arrivals}: one per target queue, plus one for the log when it was written there;
     * the result hears from each of them.
     */
    PublishOutcome publish(int arrivals);
  }

  /** Routes and enqueues a checked publish; takes over the command's buffers. */
  void publish(Command command, Outcomes confirms) {
    BasicPublish m = (BasicPublish) command.method();
    BasicProperties props;
    Map<String, Object> headers;
    RouteResult route;
    long arrival = channel.clock().millis();
    long expiresAt;
    String replyName; // the request's reply-to, when it names the pseudo-queue: this channel's reply name
    DirectReplyTo.Registration replyTarget = null; // a reply: the channel it goes to, instead of queues
    try {
      props = command.properties();
      headers = props.headers() == null ? Map.of() : props.headers();
      checkUserId(props);
      expiresAt = props.expiration() == null ? Message.NEVER : Expiration.expiresAt(props.expiration(), arrival);
      replyName = DirectReplyTo.QUEUE.equals(props.replyTo()) ? replies.replyName() : null;
      if (m.exchange().isEmpty() && m.routingKey().startsWith(DirectReplyTo.PREFIX)) {
        route = RouteResult.EMPTY; // straight to the consuming channel, through no queue
        replyTarget = replies.registry().find(m.routingKey());
      } else {
        route = routing.route(m.exchange(), m.routingKey(), headers);
      }
    } catch (RuntimeException e) {
      command.release();
      throw e;
    }
    ByteBuf rawProperties = command.header().rawProperties().retain();
    if (replyName != null || headers.containsKey("BCC")) {
      rawProperties.release();
      rawProperties = rewritten(props, replyName, command.header().rawProperties().alloc());
    }
    Integer priority = props.priority();
    int prio = priority == null ? 0 : Math.max(0, Math.min(255, priority));
    ByteBuf body = command.body();
    command.header().release();
    channel.stats().add(Stat.PUBLISH);
    io.warren.management.spi.MessageCounters exchangeStats = vhost.exchangeCounters().of(m.exchange());
    exchangeStats.add(Stat.PUBLISH_IN);
    io.warren.server.vhost.Firehose firehose = vhost.firehose(); // null unless tracing: the only cost when off
    if (firehose != null) {
      firehose.published(channel.traceOrigin(), m.exchange(), m.routingKey(), props, route.queues(), body);
    }
    long delay = delayed.delayOf(m.exchange(), headers);
    if (delay > 0) {
      delayed.publish(m, props, headers, delay, route, prio, rawProperties, body, confirms);
      return;
    }
    Message message = null;
    try {
      // Looked up once: a queue deleted meanwhile must not leave a confirm waiting for an enqueue never made.
      int targets = 0;
      DeclaredQueue single = null;
      DeclaredQueue[] all = null;
      for (String queueName : route.queues()) {
        DeclaredQueue q = vhost.queue(queueName);
        if (q == null) {
          continue;
        }
        if (targets == 1) {
          all = new DeclaredQueue[route.queues().size()];
          all[0] = single;
        }
        if (all != null) {
          all[targets] = q;
        }
        targets++;
        single = q;
      }
      long position = -1;
      if (props.persistent() && targets > 0 && vhost.store() != null) {
        try {
          position = logPublish(m, prio, arrival, expiresAt, single, all, targets, rawProperties, body);
        } catch (io.warren.store.log.LogFailedException e) {
          // the log failed on a disk error: the message is not taken, and never confirmed (nack in confirm mode)
          if (confirms != null) {
            confirms.publish(1).failed(e);
          }
          return;
        }
      }
      message = new Message(position, m.exchange(), m.routingKey(), rawProperties, body, props.persistent(), prio,
          arrival, expiresAt);
      if (targets == 0 && replyTarget == null) {
        channel.stats().add(m.mandatory() ? Stat.RETURN_UNROUTABLE : Stat.DROP_UNROUTABLE);
      } else if (targets == 1) {
        single.counters().add(Stat.PUBLISH);
        exchangeStats.add(Stat.PUBLISH_OUT);
      } else {
        exchangeStats.add(Stat.PUBLISH_OUT, targets);
        for (int i = 0; i < targets; i++) {
          all[i].counters().add(Stat.PUBLISH);
        }
      }
      if (targets == 0 && m.mandatory() && replyTarget == null) {
        channel.sendReturn(new BasicReturn(ReplyCode.NO_ROUTE.code(), "NO_ROUTE", m.exchange(), m.routingKey()),
            message);
      }
      PublishOutcome outcome = confirms == null ? null : confirms.publish(position >= 0 ? targets + 1 : targets);
      if (position >= 0 && outcome != null) {
        durableWaits.add(vhost.store(), position, outcome);
      }
      if (targets == 1) {
        single.queue().enqueue(message.retain(), outcome);
        flow.fed(single.queue().inbox());
      } else if (targets > 1) {
        for (int i = 0; i < targets; i++) {
          all[i].queue().enqueue(message.retain(), outcome);
          flow.fed(all[i].queue().inbox());
        }
      }
      if (position >= 0) {
        flow.fedLog(vhost.store().log());
      }
      if (replyTarget != null) {
        replyTarget.deliver(message.retain(), m.exchange(), m.routingKey());
      }
    } finally {
      if (message != null) {
        message.release();
      } else {
        rawProperties.release();
        body.release();
      }
    }
  }

  /**
   * Writes a persistent message once for all its durable target queues; returns its log position (the message id),
   * or -1 when none of the queues is durable. Never waits for the disk.
   */
  private long logPublish(BasicPublish m, int priority, long arrival, long expiresAt, DeclaredQueue single,
      DeclaredQueue[] all, int count, ByteBuf rawProperties, ByteBuf body) {
    java.util.List<String> durable;
    if (count == 1) { // the usual case: no list to build
      durable = BrokerVhost.isDurable(single.settings()) ? java.util.List.of(single.name()) : java.util.List.of();
    } else {
      durable = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        if (BrokerVhost.isDurable(all[i].settings())) {
          durable.add(all[i].name());
        }
      }
    }
    if (durable.isEmpty()) {
      return -1;
    }
    return vhost.store().publish(priority, arrival, expiresAt, -1, vhost.name(), m.exchange(), m.routingKey(), durable,
        rawProperties, body);
  }

  /** RabbitMQ refuses a user-id property that is not the connection's user. */
  private void checkUserId(BasicProperties props) {
    if (props.userId() != null && !impersonator && !props.userId().equals(userName)) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "user_id property set to '" + props.userId()
          + "' but authenticated user was '" + userName + "'", 60, 40);
    }
  }

  /** The properties without the BCC header (never delivered, as in RabbitMQ), and with the reply name if set. */
  private static ByteBuf rewritten(BasicProperties props, String replyName, io.netty.buffer.ByteBufAllocator alloc) {
    BasicProperties out = props;
    if (props.headers() != null && props.headers().containsKey("BCC")) {
      Map<String, Object> headers = new java.util.LinkedHashMap<>(props.headers());
      headers.remove("BCC");
      out = out.withHeaders(headers);
    }
    if (replyName != null) {
      out = out.toBuilder().replyTo(replyName).build();
    }
    ByteBuf buf = alloc.buffer();
    out.encode(buf);
    return buf;
  }
}
