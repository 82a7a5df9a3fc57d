package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.ExchangeBind;
import io.warren.amqp.generated.ExchangeBindOk;
import io.warren.amqp.generated.ExchangeDeclare;
import io.warren.amqp.generated.ExchangeDeclareOk;
import io.warren.amqp.generated.ExchangeDelete;
import io.warren.amqp.generated.ExchangeDeleteOk;
import io.warren.amqp.generated.ExchangeUnbind;
import io.warren.amqp.generated.ExchangeUnbindOk;
import io.warren.amqp.generated.QueueBind;
import io.warren.amqp.generated.QueueBindOk;
import io.warren.amqp.generated.QueueDeclare;
import io.warren.amqp.generated.QueueDeclareOk;
import io.warren.amqp.generated.QueueDelete;
import io.warren.amqp.generated.QueueDeleteOk;
import io.warren.amqp.generated.QueuePurge;
import io.warren.amqp.generated.QueuePurgeOk;
import io.warren.amqp.generated.QueueUnbind;
import io.warren.amqp.generated.QueueUnbindOk;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.routing.VirtualHost;
import io.warren.server.auth.Permission.Operation;
import io.warren.server.replyto.DirectReplyTo;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.server.vhost.QueueDeclaration;
import io.warren.store.QueueSettings;

/** exchange.* and queue.* methods of one channel. Confined to the connection's event loop. */
final class DefinitionMethods {
  private final AmqpChannel channel;
  private final BrokerVhost vhost;
  private final VirtualHost routing;
  private final AccessGuard guard;
  private final Object connection;
  private final DirectReplyTo directReplyTo;

  DefinitionMethods(AmqpChannel channel, BrokerVhost vhost, AccessGuard guard, Object connection,
      DirectReplyTo directReplyTo) {
    this.directReplyTo = directReplyTo;
    this.channel = channel;
    this.vhost = vhost;
    this.routing = vhost.routing();
    this.guard = guard;
    this.connection = connection;
  }

  void exchangeDeclare(ExchangeDeclare m) {
    String name = stripCrLf(m.exchange());
    if (m.passive()) {
      checkNotDefault(name);
      routing.requireExchange(name);
    } else {
      // RabbitMQ's order: type, default exchange, permission; the amq. prefix only stops a *new* exchange
      // (the engine checks it), so redeclaring amq.direct as it is succeeds, as in RabbitMQ
      ExchangeType type = ExchangeType.of(m.type());
      checkNotDefault(name);
      checkName("exchange", name);
      guard.exchange(Operation.CONFIGURE, name);
      Object ae = m.arguments().get("alternate-exchange");
      if (routing.exchange(name).isEmpty() && (ae instanceof String || ae instanceof LongString)) {
        // RabbitMQ checks that the declarer may use the alternate exchange
        guard.exchange(Operation.READ, name);
        guard.exchange(Operation.WRITE, ae.toString());
      }
      vhost.declareExchange(new Exchange(name, type, m.durable(), m.autoDelete(), m.internal(), m.arguments()));
    }
    if (!m.noWait()) {
      channel.reply(new ExchangeDeclareOk());
    }
  }

  void exchangeDelete(ExchangeDelete m) {
    String name = stripCrLf(m.exchange());
    checkNotDefault(name);
    if (name.startsWith("amq.")) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "deletion of system exchange '" + name + "' in vhost '"
          + vhost.name() + "' not allowed");
    }
    guard.exchange(Operation.CONFIGURE, name);
    if (routing.exchange(name).isPresent()) {
      vhost.deleteExchange(name, m.ifUnused());
    }
    if (!m.noWait()) {
      channel.reply(new ExchangeDeleteOk());
    }
  }

  void exchangeBind(ExchangeBind m) {
    Binding b = exchangeBinding(m.source(), m.destination(), m.routingKey(), m.arguments(), true);
    vhost.bind(b);
    if (!m.noWait()) {
      channel.reply(new ExchangeBindOk());
    }
  }

  void exchangeUnbind(ExchangeUnbind m) {
    Binding b = exchangeBinding(m.source(), m.destination(), m.routingKey(), m.arguments(), false);
    vhost.unbind(b);
    if (!m.noWait()) {
      channel.reply(new ExchangeUnbindOk());
    }
  }

  /** @param bind true for bind (both ends must exist), false for unbind (a missing end is fine, as in RabbitMQ) */
  private Binding exchangeBinding(String sourceName, String destinationName, String key,
      java.util.Map<String, Object> args, boolean bind) {
    String source = stripCrLf(sourceName);
    String destination = stripCrLf(destinationName);
    // RabbitMQ's order: write on the destination, neither end the default exchange, read on the source, then
    // existence (the source is reported first)
    guard.exchange(Operation.WRITE, destination);
    checkNotDefault(destination);
    checkNotDefault(source);
    guard.exchange(Operation.READ, source);
    if (bind) {
      Exchange src = routing.requireExchange(source);
      routing.requireExchange(destination);
      checkTopic(src, key);
    } else {
      routing.exchange(source).ifPresent(src -> checkTopic(src, key));
    }
    return new Binding(source, Destination.exchange(destination), key, args);
  }

  /** RabbitMQ checks a binding key on a topic exchange (bind and unbind) against the user's topic read permission. */
  private void checkTopic(Exchange source, String bindingKey) {
    if (source.type() == ExchangeType.TOPIC) {
      guard.topic(Operation.READ, source.name(), bindingKey);
    }
  }

  void queueDeclare(QueueDeclare m) {
    String name = stripCrLf(m.queue());
    if (DirectReplyTo.isReplyName(name)) {
      declareReplyQueue(name, m.noWait());
      return;
    }
    QueueDeclaration d;
    if (m.passive()) {
      d = vhost.declarePassive(name, connection);
    } else {
      if (name.isEmpty()) {
        name = BrokerVhost.serverNamedQueue();
      } else {
        checkName("queue", name);
        if (name.startsWith("amq.")) {
          throw new ChannelException(ReplyCode.ACCESS_REFUSED, "queue name '" + name
              + "' contains reserved prefix 'amq.*'");
        }
      }
      guard.queue(Operation.CONFIGURE, name);
      Object dlx = m.arguments().get("x-dead-letter-exchange");
      if (vhost.queue(name) == null && (dlx instanceof String || dlx instanceof LongString)) {
        // as RabbitMQ: a new queue may only dead-letter to an exchange its declarer may publish to
        guard.queue(Operation.READ, name);
        guard.exchange(Operation.WRITE, dlx.toString());
      }
      d = vhost.declare(new QueueSettings(name, m.durable(), m.exclusive(), m.autoDelete(), m.arguments()),
          connection);
    }
    String declared = d.queue().name();
    channel.rememberQueue(declared);
    if (m.noWait()) {
      return;
    }
    if (d.created()) {
      channel.reply(new QueueDeclareOk(declared, 0, 0));
      return;
    }
    // Counted on the queue's executor, after this channel's earlier publishes: RabbitMQ's message ordering
    // guarantees that publish-then-declare on one channel counts the publish.
    channel.await(d.queue().queue().stats(),
        s -> channel.reply(new QueueDeclareOk(declared, s.messageCount(), s.consumerCount())));
  }

  /**
   * As RabbitMQ: declaring (passively or not) the direct reply-to pseudo-queue, or the reply name of a live consumer,
   * succeeds with no messages and one consumer; any other reply name is not found.
   */
  private void declareReplyQueue(String name, boolean noWait) {
    if (!name.equals(DirectReplyTo.QUEUE) && directReplyTo.find(name) == null) {
      throw new ChannelException(ReplyCode.NOT_FOUND, "no queue '" + name + "' in vhost '" + vhost.name() + "'");
    }
    if (!noWait) {
      channel.reply(new QueueDeclareOk(name, 0, 1));
    }
  }

  void queueBind(QueueBind m) {
    Binding b = queueBinding(m.queue(), m.exchange(), m.routingKey(), m.arguments(), true);
    vhost.bind(b);
    if (!m.noWait()) {
      channel.reply(new QueueBindOk());
    }
  }

  void queueUnbind(QueueUnbind m) {
    Binding b = queueBinding(m.queue(), m.exchange(), m.routingKey(), m.arguments(), false);
    vhost.unbind(b);
    channel.reply(new QueueUnbindOk());
  }

  /** @param bind true for bind (both ends must exist), false for unbind (a missing end is fine, as in RabbitMQ) */
  private Binding queueBinding(String queueName, String exchangeName, String key,
      java.util.Map<String, Object> args, boolean bind) {
    String queue = channel.resolveQueue(stripCrLf(queueName));
    String exchange = stripCrLf(exchangeName);
    guard.queue(Operation.WRITE, queue);
    checkNotDefault(exchange);
    guard.exchange(Operation.READ, exchange);
    String bindingKey = channel.resolveRoutingKey(key, queueName);
    if (bind) {
      Exchange source = routing.requireExchange(exchange);
      vhost.requireQueue(queue, connection);
      checkTopic(source, bindingKey);
    } else {
      // as RabbitMQ: unbinding from an existing topic exchange checks the topic permission too
      routing.exchange(exchange).ifPresent(source -> checkTopic(source, bindingKey));
      if (vhost.queue(queue) != null) {
        vhost.requireQueue(queue, connection); // another connection's exclusive queue stays locked
      }
    }
    return new Binding(exchange, Destination.queue(queue), bindingKey, args);
  }

  void queuePurge(QueuePurge m) {
    String name = channel.resolveQueue(m.queue());
    guard.queue(Operation.READ, name);
    DeclaredQueue q = vhost.requireQueue(name, connection);
    channel.await(q.queue().purge(), count -> {
      if (!m.noWait()) {
        channel.reply(new QueuePurgeOk(count));
      }
    });
  }

  void queueDelete(QueueDelete m) {
    String name = channel.resolveQueue(stripCrLf(m.queue()));
    guard.queue(Operation.CONFIGURE, name);
    DeclaredQueue q = vhost.queue(name);
    if (q == null) {
      // deleting a queue that does not exist succeeds, as in RabbitMQ
      if (!m.noWait()) {
        channel.reply(new QueueDeleteOk(0));
      }
      return;
    }
    vhost.requireQueue(name, connection);
    channel.await(vhost.delete(q, m.ifUnused(), m.ifEmpty()), count -> {
      if (!m.noWait()) {
        channel.reply(new QueueDeleteOk(count));
      }
    });
  }

  /** RabbitMQ refuses every definition method on the default exchange, before looking anything up. */
  private static void checkNotDefault(String exchange) {
    if (exchange.isEmpty()) {
      throw new ChannelException(ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
    }
  }

  /**
   * RabbitMQ drops line feeds and carriage returns from the queue and exchange names of declare, delete, bind and
   * unbind (and answers with the stripped name), so "q\n" is "q".
   */
  static String stripCrLf(String name) {
    if (name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '\n' && c != '\r') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void checkName(String kind, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new ChannelException(ReplyCode.PRECONDITION_FAILED, kind + " name contains a control character");
      }
    }
  }
}
