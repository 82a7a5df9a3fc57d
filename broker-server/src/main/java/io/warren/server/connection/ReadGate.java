package io.warren.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.warren.amqp.generated.ConnectionBlocked;
import io.warren.amqp.generated.ConnectionUnblocked;
import io.warren.server.Broker;
import io.warren.server.flow.PublishFlow;
import io.warren.server.flow.ResourceAlarm;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a connection reads from its socket: not while a memory or disk alarm blocks it, nor while a queue or the
 * log its publishers feed is behind (credit flow). As in RabbitMQ, an alarm blocks a connection when it publishes
 * while the alarm is raised (connection.blocked), not before: a connection that published earlier may still consume,
 * get and ack. The publish that found the alarm, and every later command of its channel, wait until every alarm has
 * cleared (connection.unblocked). Confined to the connection's event loop, except {@link #resourceAlarm}, which an
 * alarm calls from its own thread.
 */
final class ReadGate implements ResourceAlarm.Listener {
  private final AmqpConnection connection;
  private final Broker broker;
  private final ChannelHandlerContext ctx;
  /** Credit flow to the queues and the log this connection's publishers feed. */
  private final PublishFlow flow;
  private boolean blocked;
  /** Completed when this connection is unblocked (or closes): the publishes the alarm holds then go on. */
  private CompletableFuture<Void> unblocked;
  /** Paused at some point since the last {@link #pausedSinceAsked}: reads had stopped, so silence proves nothing. */
  private boolean pausedSinceAsked;

  ReadGate(AmqpConnection connection, Broker broker, ChannelHandlerContext ctx) {
    this.connection = connection;
    this.broker = broker;
    this.ctx = ctx;
    this.flow = new PublishFlow(ctx.executor(), this::update, connection::consumes);
  }

  @Override
  public void resourceAlarm(boolean raised) {
    ctx.executor().execute(() -> {
      // blocked while any alarm is raised: ask the broker rather than trusting this one alarm's news
      if (blocked && broker.raisedAlarm() == null) {
        unblock();
      }
    });
  }

  /**
   * A channel publishes: under a memory or disk alarm, stop reading from this connection and answer true: then the
   * publish must wait for {@link #unblocked()}.
   */
  boolean notePublish() {
    if (blocked) {
      return true;
    }
    ResourceAlarm alarm = broker.raisedAlarm();
    if (alarm == null) {
      return false;
    }
    block(alarm.reason());
    return true;
  }

  /** Completes when the alarms that block this connection have cleared, or when it closes; while blocked only. */
  CompletableFuture<Void> unblocked() {
    return unblocked;
  }

  /** The connection closed: what waited for the alarm goes on, to find its channel closed and let go. */
  void closed() {
    blocked = false;
    release();
  }

  private void release() {
    CompletableFuture<Void> waiting = unblocked;
    unblocked = null;
    if (waiting != null) {
      waiting.complete(null);
    }
  }

  private void block(String reason) {
    blocked = true;
    unblocked = new CompletableFuture<>();
    if (!connection.isOpen()) {
      return;
    }
    connection.writeMethod(0, new ConnectionBlocked(reason));
    ctx.flush();
    update();
  }

  private void unblock() {
    blocked = false;
    if (connection.isOpen()) {
      connection.writeMethod(0, new ConnectionUnblocked());
    }
    release();
    ctx.flush();
    update();
  }

  /** Reads from the socket only while no alarm blocks this connection and no queue or log it feeds is behind. */
  void update() {
    boolean pause = blocked || flow.paused();
    pausedSinceAsked |= pause;
    if (connection.isOpen()) {
      ctx.channel().config().setAutoRead(!pause);
    }
  }

  /**
   * True if reads are paused now or were since the last call: a heartbeat check right after a resume, before the
   * socket was read again, must not take the pause's silence for a dead client.
   */
  boolean pausedSinceAsked() {
    boolean p = paused() || pausedSinceAsked;
    pausedSinceAsked = false;
    return p;
  }

  /** True while this connection does not read (so the client's heartbeats are not read either). */
  boolean paused() {
    return blocked || flow.paused();
  }

  /** The registry's state of an open connection: blocked by an alarm, paused by credit flow, or running. */
  String state() {
    return blocked ? "blocked" : flow.paused() ? "flow" : "running";
  }

  PublishFlow flow() {
    return flow;
  }
}
