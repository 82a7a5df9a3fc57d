package io.warren.server.channel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.AmqpProtocolException;
import io.warren.amqp.ChannelException;
import io.warren.amqp.Command;
import io.warren.amqp.CommandAssembler;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.Frame;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.MethodFrame;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.BasicAck;
import io.warren.amqp.generated.BasicCancel;
import io.warren.amqp.generated.BasicConsume;
import io.warren.amqp.generated.BasicGet;
import io.warren.amqp.generated.BasicNack;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.BasicRecover;
import io.warren.amqp.generated.BasicRecoverAsync;
import io.warren.amqp.generated.BasicRecoverOk;
import io.warren.amqp.generated.BasicReject;
import io.warren.amqp.generated.BasicReturn;
import io.warren.amqp.generated.ChannelClose;
import io.warren.amqp.generated.ChannelCloseOk;
import io.warren.amqp.generated.ChannelFlow;
import io.warren.amqp.generated.ChannelFlowOk;
import io.warren.amqp.generated.ConfirmSelect;
import io.warren.amqp.generated.ExchangeBind;
import io.warren.amqp.generated.ExchangeDeclare;
import io.warren.amqp.generated.ExchangeDelete;
import io.warren.amqp.generated.ExchangeUnbind;
import io.warren.amqp.generated.QueueBind;
import io.warren.amqp.generated.QueueDeclare;
import io.warren.amqp.generated.QueueDelete;
import io.warren.amqp.generated.QueuePurge;
import io.warren.amqp.generated.QueueUnbind;
import io.warren.amqp.generated.TxCommit;
import io.warren.amqp.generated.TxRollback;
import io.warren.amqp.generated.TxSelect;
import io.warren.server.connection.AmqpConnection;
import io.warren.server.net.SocketCounters;
import io.warren.store.Message;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One AMQP channel: assembles its frames into commands and dispatches them; the work is done by
 * {@link DefinitionMethods}, {@link Publisher}, {@link Deliveries} and {@link ChannelMode} (confirms, transactions).
 * Commands that wait for a queue (purge, delete, consume, get...) hold back the channel's later commands so that
 * replies keep their order. Confined to the connection's event loop.
 */
public final class AmqpChannel implements ConfirmTracker.Sender {
  private enum State { OPEN, CLOSING, CLOSED }

  private final AmqpConnection connection;
  private final int number;
  private final ChannelHandlerContext ctx;
  private final OutboundSocket socket;
  private final CommandAssembler assembler;
  private final DefinitionMethods definitions;
  private final Publisher publisher;
  private final Deliveries deliveries;
  private final ChannelMode mode;
  private final ArrayDeque<Command> held = new ArrayDeque<>();
  private State state = State.OPEN;
  private boolean awaiting;
  private String lastQueue;
  /** The method being executed, for errors that surface after an await. */
  private AmqpMethod current;
  private final Clock clock;
  private final ChannelStats stats;
  /** Who this channel is in the firehose's traces; built when tracing first needs it. */
  private io.warren.server.vhost.Firehose.Origin traceOrigin;

  public AmqpChannel(AmqpConnection connection, int number, Clock clock) {
    this.connection = connection;
    this.number = number;
    this.clock = clock;
    this.ctx = connection.context();
    this.socket = new OutboundSocket(ctx.channel(), ctx.pipeline().get(SocketCounters.class));
    this.assembler = new CommandAssembler(connection.broker().config().limits().maxMessageSize());
    var vhost = connection.vhost();
    this.stats = new ChannelStats(connection.broker().counters(), vhost.counters());
    connection.broker().churn().channelsOpened.increment();
    var guard = new AccessGuard(connection.broker()::accessControl, connection.user().name(), vhost.name());
    var directReplyTo = connection.broker().directReplyTo();
    this.definitions = new DefinitionMethods(this, vhost, guard, connection, directReplyTo);
    this.deliveries = new Deliveries(this, vhost, guard, connection, directReplyTo);
    this.publisher = new Publisher(this, vhost, guard, connection.user(), connection.broker().schedule(),
        deliveries.replies(), connection.publishFlow());
    this.mode = new ChannelMode(this, connection, publisher, deliveries);
  }

  // ---- input ----------------------------------------------------------------------------------------------------

  /** A frame for this channel. Connection-level errors propagate to the connection. */
  /** What the registry lists of this channel; on the connection's event loop. */
  public io.warren.server.registry.ChannelInfo info() {
    return new io.warren.server.registry.ChannelInfo(connection.name(), number, connection.user().name(),
        connection.vhost().name(), deliveries.consumerPrefetch(), deliveries.globalPrefetch(),
        deliveries.unackedCount(), mode.confirming(), mode.transactional(), deliveries.consumerInfo(),
        stats.channel());
  }

  /** This channel as the firehose's traces name it (connection, number, user). */
  io.warren.server.vhost.Firehose.Origin traceOrigin() {
    if (traceOrigin == null) {
      traceOrigin = new io.warren.server.vhost.Firehose.Origin(connection.name(), number, connection.user().name());
    }
    return traceOrigin;
  }

  public void onFrame(Frame frame) {
    if (state != State.OPEN) {
      onFrameWhileClosing(frame);
      return;
    }
    Command command;
    try {
      command = assembler.accept(frame);
    } catch (AmqpProtocolException e) {
      if (e.connectionLevel()) {
        throw e;
      }
      closeWithError(e);
      return;
    }
    if (command == null) {
      return;
    }
    if (awaiting) {
      held.add(command);
    } else {
      execute(command);
    }
  }

  private void onFrameWhileClosing(Frame frame) {
    io.netty.util.ReferenceCountUtil.release(frame);
    if (frame instanceof MethodFrame mf) {
      if (mf.method() instanceof ChannelCloseOk) {
        state = State.CLOSED;
        connection.channelClosedByBroker(number);
      } else if (mf.method() instanceof ChannelClose) {
        // both sides closed at once: answer, and treat the channel as closed
        connection.writeMethod(number, new ChannelCloseOk());
        state = State.CLOSED;
        connection.channelClosedByBroker(number);
      }
    }
  }

  private void execute(Command command) {
    current = command.method();
    try {
      dispatch(command);
    } catch (RuntimeException e) {
      fail(e, command.method());
    }
  }

  /** Closes the channel (soft error) or the connection (hard error) for whatever {@code method} failed with. */
  private void fail(Throwable e, AmqpMethod method) {
    AmqpProtocolException error = Errors.of(e, method);
    if (error.connectionLevel()) {
      connection.closeWithError(error);
    } else {
      closeWithError(error);
    }
  }

  private void dispatch(Command c) {
    AmqpMethod m = c.method();
    if (m instanceof BasicPublish) {
      mode.publish(c);
    } else if (m instanceof BasicAck a) {
      mode.settle(a.deliveryTag(), a.multiple(), true, false);
    } else if (m instanceof BasicNack n) {
      mode.settle(n.deliveryTag(), n.multiple(), false, n.requeue());
    } else if (m instanceof BasicReject r) {
      mode.settle(r.deliveryTag(), false, false, r.requeue());
    } else if (m instanceof BasicConsume bc) {
      deliveries.consume(bc);
    } else if (m instanceof BasicCancel bc) {
      deliveries.cancel(bc);
    } else if (m instanceof BasicGet bg) {
      deliveries.get(bg);
    } else if (m instanceof BasicQos q) {
      deliveries.qos(q);
    } else if (m instanceof BasicRecover r) {
      mode.recover(r.requeue());
      reply(new BasicRecoverOk());
    } else if (m instanceof BasicRecoverAsync r) {
      mode.recover(r.requeue());
    } else if (m instanceof QueueDeclare q) {
      definitions.queueDeclare(q);
    } else if (m instanceof QueueBind q) {
      definitions.queueBind(q);
    } else if (m instanceof QueueUnbind q) {
      definitions.queueUnbind(q);
    } else if (m instanceof QueuePurge q) {
      definitions.queuePurge(q);
    } else if (m instanceof QueueDelete q) {
      definitions.queueDelete(q);
    } else if (m instanceof ExchangeDeclare e) {
      definitions.exchangeDeclare(e);
    } else if (m instanceof ExchangeDelete e) {
      definitions.exchangeDelete(e);
    } else if (m instanceof ExchangeBind e) {
      definitions.exchangeBind(e);
    } else if (m instanceof ExchangeUnbind e) {
      definitions.exchangeUnbind(e);
    } else if (m instanceof ConfirmSelect cs) {
      mode.confirmSelect(cs);
    } else if (m instanceof TxSelect) {
      mode.txSelect();
    } else if (m instanceof TxCommit) {
      mode.txCommit();
    } else if (m instanceof TxRollback) {
      mode.txRollback();
    } else if (m instanceof ChannelClose) {
      onClientClose();
    } else if (m instanceof ChannelCloseOk) {
      // nothing to do: we never sent channel.close while open
    } else if (m instanceof ChannelFlow f) {
      if (!f.active()) {
        throw new ConnectionException(ReplyCode.NOT_IMPLEMENTED, "active=false", f.classId(), f.methodId());
      }
      reply(new ChannelFlowOk(true));
    } else {
      throw new ConnectionException(ReplyCode.COMMAND_INVALID, "'" + m.amqpName() + "' is not a method a client "
          + "may send on a channel", m.classId(), m.methodId());
    }
  }

  // ---- publisher confirms (ConfirmTracker.Sender) -----------------------------------------------------------

  @Override
  public void ack(long tag, boolean multiple) {
    if (state == State.OPEN) {
      connection.writeMethod(number, new BasicAck(tag, multiple));
    }
  }

  @Override
  public void nack(long tag, boolean multiple) {
    if (state == State.OPEN) {
      connection.writeMethod(number, new BasicNack(tag, multiple, false));
    }
  }

  @Override
  public void confirmed(int count) {
    stats.add(io.warren.management.spi.Stat.CONFIRM, count);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  // ---- helpers for the method classes -----------------------------------------------------------------------------

  /** Sends a reply method unless the channel is closing. */
  void reply(AmqpMethod method) {
    if (state == State.OPEN) {
      connection.writeMethod(number, method);
    }
  }

  void writeContent(AmqpMethod method, Message message) {
    FrameWriter.writeContent(ctx.alloc(), number, method, message.rawProperties(), message.body(),
        connection.frameMax(), buf -> ctx.write(buf, ctx.voidPromise()));
  }

  /**
   * Writes a delivery (deliver, get-ok) of a queue entry, with x-delivery-count if it came back before and its queue
   * has a delivery limit (RabbitMQ 3.x counts only in quorum queues, which have one; its classic queues never add it).
   */
  void writeDelivery(AmqpMethod method, io.warren.store.QueueEntry entry) {
    Message message = entry.message();
    int count = entry.deliveryCount();
    if (count == 0 || entry.queue().features().deliveryLimit() < 0) {
      writeContent(method, message);
      return;
    }
    io.netty.buffer.ByteBuf props = DeliveryCount.withHeader(message.rawProperties(), count, ctx.alloc());
    try {
      FrameWriter.writeContent(ctx.alloc(), number, method, props, message.body(), connection.frameMax(),
          buf -> ctx.write(buf, ctx.voidPromise()));
    } finally {
      props.release(); // the header frame holds a copy
    }
  }

  void sendReturn(BasicReturn method, Message message) {
    if (state == State.OPEN) {
      writeContent(method, message);
    }
  }

  /**
   * Holds the channel's later commands until {@code future} completes, then runs the callback on the event loop.
   * A failure closes the channel (or connection) with the matching error.
   */
  <T> void await(CompletableFuture<T> future, Consumer<T> onSuccess) {
    await(future, onSuccess, failure -> { });
  }

  <T> void await(CompletableFuture<T> future, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
    awaiting = true;
    AmqpMethod method = current; // a failure names the method that waited, as RabbitMQ's channel.close does
    future.whenCompleteAsync((value, failure) -> {
      awaiting = false;
      try {
        if (failure != null) {
          onFailure.accept(failure);
          if (state == State.OPEN) {
            fail(failure, method);
          }
        } else {
          onSuccess.accept(value);
        }
      } catch (AmqpProtocolException e) {
        fail(e, method);
      }
      while (!awaiting && !held.isEmpty() && state == State.OPEN) {
        execute(held.poll());
      }
      ctx.flush();
    }, ctx.executor());
  }

  /** The channel number (event loop, or any thread: it never changes). */
  public int number() {
    return number;
  }

  ChannelStats stats() {
    return stats;
  }

  /** The broker's default consumer acknowledgement timeout (ms). */
  long consumerTimeout() {
    return connection.broker().config().consumerTimeoutMillis();
  }

  /** A channel error found outside a method's execution (an acknowledgement timeout): channel.close now. */
  void closeWithTimeout(AmqpProtocolException e) {
    closeWithError(e);
    ctx.flush();
  }

  /** The broker's clock: message arrival times, acknowledgement timeouts. */
  Clock clock() {
    return clock;
  }

  EventExecutor eventLoop() {
    return ctx.executor();
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean isWritable() {
    return ctx.channel().isWritable();
  }

  /** Whether this channel has a consumer (basic.consume); event loop only. */
  public boolean consumes() {
    return deliveries.consumes();
  }

  /** The connection's socket as deliveries see it; any thread. */
  OutboundSocket socket() {
    return socket;
  }

  void rememberQueue(String name) {
    lastQueue = name;
  }

  /** An empty queue name means the channel's last declared queue, as the spec says. */
  String resolveQueue(String name) {
    if (!name.isEmpty()) {
      return name;
    }
    if (lastQueue == null) {
      throw new ChannelException(ReplyCode.NOT_FOUND, "no previously declared queue");
    }
    return lastQueue;
  }

  /** queue.bind with an empty queue name and routing key binds with the queue's name as key. */
  String resolveRoutingKey(String key, String queueName) {
    return key.isEmpty() && queueName.isEmpty() && lastQueue != null ? lastQueue : key;
  }

  /** The connection's socket is writable again. */
  public void resumeDeliveries() {
    deliveries.resume();
  }

  // ---- closing ------------------------------------------------------------------------------------------------

  private void onClientClose() {
    release();
    connection.writeMethod(number, new ChannelCloseOk());
    connection.channelClosed(number);
  }

  /** A soft error: channel.close to the client, and wait for close-ok. */
  private void closeWithError(AmqpProtocolException e) {
    if (state != State.OPEN) {
      return;
    }
    connection.writeMethod(number, new ChannelClose(e.replyCode(), e.replyText(), e.classId(), e.methodId()));
    release();
    state = State.CLOSING;
  }

  /** Gives back everything the channel holds: consumers, unacked messages, half-assembled or held commands. */
  public void release() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    connection.broker().churn().channelsClosed.increment();
    assembler.reset();
    deliveries.close();
    mode.close();
    Command c;
    while ((c = held.poll()) != null) {
      c.release();
    }
  }
}
