package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.Command;
import io.warren.amqp.generated.ConfirmSelect;
import io.warren.amqp.generated.ConfirmSelectOk;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.TxCommitOk;
import io.warren.amqp.generated.TxRollbackOk;
import io.warren.amqp.generated.TxSelectOk;
import io.warren.server.connection.AmqpConnection;
import io.warren.store.MessageQueue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The channel's mode, in the spec's words: normal, confirm mode (confirm.select: publishes are confirmed once taken)
 * or tx mode (tx.select: publishes and acknowledgements take effect at tx.commit). The two exclude each other, and
 * neither can be left. Confined to the connection's event loop.
 */
final class ChannelMode {
  private final AmqpChannel channel;
  private final AmqpConnection connection;
  private final Publisher publisher;
  private final Deliveries deliveries;
  private ConfirmTracker confirms;
  private Transaction tx;

  boolean confirming() {
    return confirms != null;
  }

  boolean transactional() {
    return tx != null;
  }

  ChannelMode(AmqpChannel channel, AmqpConnection connection, Publisher publisher, Deliveries deliveries) {
    this.channel = channel;
    this.connection = connection;
    this.publisher = publisher;
    this.deliveries = deliveries;
  }

  void publish(Command c) {
    try {
      publisher.check(c);
    } catch (RuntimeException e) {
      c.release();
      throw e;
    }
    if (connection.notePublish()) {
      // a memory or disk alarm blocks the connection: as in RabbitMQ, this publish goes through (and the channel's
      // later commands run) only once every alarm has cleared
      channel.await(connection.unblocked(), ignored -> routeUnblocked(c));
      return;
    }
    route(c);
  }

  private void route(Command c) {
    if (tx != null) {
      tx.publish(c);
    } else {
      publisher.publish(c, confirms);
    }
  }

  /** A publish an alarm held; its channel may have closed meanwhile (with its connection). */
  private void routeUnblocked(Command c) {
    if (!channel.isOpen()) {
      c.release();
      return;
    }
    try {
      route(c);
    } catch (RuntimeException e) {
      throw Errors.of(e, c.method());
    }
  }

  /** basic.ack / nack / reject: at once, or at commit in tx mode (an unknown tag fails now either way). */
  void settle(long tag, boolean multiple, boolean ack, boolean requeue) {
    if (tx != null) {
      deliveries.checkTag(tag, multiple);
      if ((tag != 0 || !multiple) && tx.settles(tag)) {
        throw Deliveries.unknownTag(tag);
      }
      tx.settle(new Transaction.Settlement(tag, multiple, ack, requeue), deliveries.lastTag());
    } else {
      deliveries.settle(tag, multiple, ack, requeue);
    }
  }

  /**
   * basic.recover: requeues the unacked deliveries, except those an open transaction settles (RabbitMQ takes them out
   * of the unacked set at once: they are acked or rejected at commit, and come back only with a rollback).
   */
  void recover(boolean requeue) {
    deliveries.recover(requeue, tx == null ? tag -> false : tx::settles);
  }

  void confirmSelect(ConfirmSelect cs) {
    if (tx != null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode",
          cs.classId(), cs.methodId());
    }
    if (confirms == null) {
      confirms = new ConfirmTracker(channel.eventLoop(), channel);
    }
    if (!cs.noWait()) {
      channel.reply(new ConfirmSelectOk());
    }
  }

  void txSelect() {
    if (confirms != null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode", 90, 10);
    }
    if (tx == null) {
      tx = new Transaction();
    }
    channel.reply(new TxSelectOk());
  }

  void txCommit() {
    Transaction t = requireTx();
    CommitBarrier barrier = new CommitBarrier();
    List<Command> publishes = t.takePublishes();
    for (int i = 0; i < publishes.size(); i++) {
      try {
        publisher.publish(publishes.get(i), barrier);
      } catch (RuntimeException e) {
        publishes.subList(i + 1, publishes.size()).forEach(Command::release);
        throw e;
      }
    }
    Set<MessageQueue> acked = new LinkedHashSet<>();
    for (Transaction.Settlement s : t.takeSettlements()) {
      for (Unacked u : deliveries.settle(s.tag(), s.multiple(), s.ack(), s.requeue())) {
        if (s.ack() || !s.requeue()) {
          acked.add(u.entry().queue());
        }
      }
    }
    // commit-ok once the queues have the publishes and have written the ack records of its acks, and the log is
    // durable up to its end after that (which covers both)
    var store = connection.vhost().store();
    CompletableFuture<Void> taken = barrier.seal();
    for (MessageQueue q : acked) {
      taken = taken.thenCombine(q.settled(), (a, b) -> null);
    }
    channel.await(store == null ? taken : taken.thenCompose(v -> store.syncedToEnd()),
        ignored -> channel.reply(new TxCommitOk()));
  }

  void txRollback() {
    requireTx().rollback();
    channel.reply(new TxRollbackOk());
  }

  private Transaction requireTx() {
    if (tx == null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "channel is not transactional", 90, 20);
    }
    return tx;
  }

  /** The channel is gone: no more confirms are sent, an open transaction is rolled back. */
  void close() {
    if (confirms != null) {
      confirms.close();
    }
    if (tx != null) {
      tx.rollback();
    }
  }
}
