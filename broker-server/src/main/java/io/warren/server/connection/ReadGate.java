package io.warren.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.warren.amqp.generated.ConnectionBlocked;
import io.warren.amqp.generated.ConnectionUnblocked;
import io.warren.server.Broker;
import io.warren.server.flow.PublishFlow;
import io.warren.server.flow.ResourceAlarm;

/**
 * Whether a connection reads from its socket: not while a memory or disk alarm blocks it (only once it has published,
 * announced with connection.blocked and connection.unblocked), nor while a queue or the log its publishers feed is
 * behind (credit flow). Confined to the connection's event loop, except {@link #resourceAlarm}, which an alarm calls
 * from its own thread.
 */
final class ReadGate implements ResourceAlarm.Listener {
  private final AmqpConnection connection;
  private final Broker broker;
  private final ChannelHandlerContext ctx;
  /** Credit flow to the queues and the log this connection's publishers feed. */
  private final PublishFlow flow;
  private boolean published;
  private boolean blocked;
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
      ResourceAlarm alarm = broker.raisedAlarm();
      if (alarm != null && published && !blocked) {
        block(alarm.reason());
      } else if (alarm == null && blocked) {
        unblock();
      }
    });
  }

  /** A channel published: under a memory or disk alarm, stop reading from this connection. */
  void notePublish() {
    published = true;
    ResourceAlarm alarm = blocked ? null : broker.raisedAlarm();
    if (alarm != null) {
      block(alarm.reason());
    }
  }

  private void block(String reason) {
    if (!connection.isOpen()) {
      return;
    }
    blocked = true;
    connection.writeMethod(0, new ConnectionBlocked(reason));
    ctx.flush();
    update();
  }

  private void unblock() {
    blocked = false;
    if (!connection.isOpen()) {
      return;
    }
    connection.writeMethod(0, new ConnectionUnblocked());
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
