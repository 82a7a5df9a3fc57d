package io.warren.server.channel;

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
  /** The last exchange checked for write access: publishers usually stick to one. */
  private String permittedExchange;

  Publisher(AmqpChannel channel, BrokerVhost vhost, AccessGuard guard, String userName) {
    this.channel = channel;
    this.vhost = vhost;
    this.routing = vhost.routing();
    this.guard = guard;
    this.userName = userName;
  }

  /** Checks a publish before it is buffered or performed; throws the channel error RabbitMQ would. */
  void check(Command command) {
    BasicPublish m = (BasicPublish) command.method();
    String exchange = m.exchange();
    if (!exchange.equals(permittedExchange)) {
      guard.exchange(Operation.WRITE, exchange);
      permittedExchange = exchange;
    }
    Exchange ex = routing.exchange(exchange).orElseThrow(() -> new ChannelException(ReplyCode.NOT_FOUND,
        "no exchange '" + exchange + "' in vhost '" + vhost.name() + "'", 60, 40));
    if (ex.internal()) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '" + exchange
          + "' in vhost '" + vhost.name() + "'", 60, 40);
    }
    if (m.immediate()) {
      throw new io.warren.amqp.ConnectionException(ReplyCode.NOT_IMPLEMENTED, "immediate=true", 60, 40);
    }
  }

  /** Whoever waits for the queues to take a publish: the channel's confirms, or a tx.commit. */
  interface Outcomes {
    /** A publish routed to {@code queues} queues; the result hears from each of them. */
    EnqueueOutcome publish(int queues);
  }

  /** Routes and enqueues a checked publish; takes over the command's buffers. */
  void publish(Command command, Outcomes confirms) {
    BasicPublish m = (BasicPublish) command.method();
    BasicProperties props;
    Map<String, Object> headers;
    RouteResult route;
    try {
      props = command.properties();
      headers = props.headers() == null ? Map.of() : props.headers();
      checkUserId(props);
      route = routing.route(m.exchange(), m.routingKey(), headers);
    } catch (RuntimeException e) {
      command.release();
      throw e;
    }
    ByteBuf rawProperties = command.header().rawProperties().retain();
    if (headers.containsKey("BCC")) {
      rawProperties.release();
      rawProperties = withoutBcc(props, command.header().rawProperties().alloc());
    }
    Integer priority = props.priority();
    Message message = new Message(0, m.exchange(), m.routingKey(), rawProperties, command.body(),
        props.persistent(), priority == null ? 0 : Math.max(0, Math.min(255, priority)));
    command.header().release();
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
      if (targets == 0 && m.mandatory()) {
        channel.sendReturn(new BasicReturn(ReplyCode.NO_ROUTE.code(), "NO_ROUTE", m.exchange(), m.routingKey()),
            message);
      }
      EnqueueOutcome outcome = confirms == null ? null : confirms.publish(targets);
      if (targets == 1) {
        single.queue().enqueue(message.retain(), outcome);
      } else if (targets > 1) {
        for (int i = 0; i < targets; i++) {
          all[i].queue().enqueue(message.retain(), outcome);
        }
      }
    } finally {
      message.release();
    }
  }

  /** RabbitMQ refuses a user-id property that is not the connection's user. */
  private void checkUserId(BasicProperties props) {
    if (props.userId() != null && !props.userId().equals(userName)) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "user_id property set to '" + props.userId()
          + "' but authenticated user was '" + userName + "'", 60, 40);
    }
  }

  private static ByteBuf withoutBcc(BasicProperties props, io.netty.buffer.ByteBufAllocator alloc) {
    Map<String, Object> headers = new java.util.LinkedHashMap<>(props.headers());
    headers.remove("BCC");
    ByteBuf out = alloc.buffer();
    props.withHeaders(headers).encode(out);
    return out;
  }
}
