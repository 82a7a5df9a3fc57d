package io.warren.server.channel;

import io.warren.management.spi.Stat;
import io.warren.amqp.ChannelException;
import io.warren.amqp.ConnectionException;
import io.warren.amqp.generated.ReplyCode;
import io.warren.amqp.generated.BasicCancel;
import io.warren.amqp.generated.BasicCancelOk;
import io.warren.amqp.generated.BasicConsume;
import io.warren.amqp.generated.BasicConsumeOk;
import io.warren.amqp.generated.BasicDeliver;
import io.warren.amqp.generated.BasicGet;
import io.warren.amqp.generated.BasicGetEmpty;
import io.warren.amqp.generated.BasicGetOk;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.BasicQosOk;
import io.warren.server.auth.Permission.Operation;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.server.vhost.FieldTypes;
import io.warren.store.GetCallback;
import io.warren.store.GetResult;
import io.warren.store.Message;
import io.warren.store.MessageQueue;
import io.warren.store.QueueEntry;
import io.warren.store.QueueException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The consuming side of a channel: basic.qos, consume, cancel, get, ack, nack, reject, recover, and the writing of
 * deliveries handed over by queues. Owns the channel's consumers and unacked deliveries. Confined to the
 * connection's event loop (except {@link ChannelConsumer}'s calls from queue threads into {@link Outbound}).
 */
final class Deliveries implements Outbound.Sink {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AmqpChannel channel;
  private final BrokerVhost vhost;
  private final AccessGuard guard;
  private final Object connection;
  private final Map<String, ChannelConsumer> consumers = new LinkedHashMap<>();
  private final UnackedDeliveries unacked = new UnackedDeliveries();
  private final Credit channelCredit = new Credit(0);
  private final Outbound outbound;
  private final AckTimeouts ackTimeouts;
  private final DirectReplies replies;
  private int consumerPrefetch;
  private long nextTag = 1;
  private final TakeTurns wakeups = new TakeTurns();
  private boolean closed;

  Deliveries(AmqpChannel channel, BrokerVhost vhost, AccessGuard guard, Object connection,
      io.warren.server.replyto.DirectReplyTo directReplyTo) {
    this.channel = channel;
    this.replies = new DirectReplies(channel, directReplyTo, () -> nextTag++);
    this.vhost = vhost;
    this.guard = guard;
    this.connection = connection;
    this.outbound = new Outbound(channel.eventLoop(), channel.socket(), this);
    this.ackTimeouts = new AckTimeouts(channel.eventLoop(), channel.clock(), channel.consumerTimeout(),
        this::checkAckTimeouts);
  }

  /** The consumers and unacked count the registry lists; on the event loop. */
  java.util.List<io.warren.server.registry.ConsumerInfo> consumerInfo() {
    return consumers.values().stream().map(ChannelConsumer::info).toList();
  }

  boolean consumes() {
    return !consumers.isEmpty();
  }

  int unackedCount() {
    return unacked.size();
  }

  int consumerPrefetch() {
    return consumerPrefetch;
  }

  int globalPrefetch() {
    return channelCredit.limit();
  }

  void qos(BasicQos m) {
    if (m.prefetchSize() != 0) {
      throw new ConnectionException(ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + m.prefetchSize() + ")",
          m.classId(), m.methodId());
    }
    if (m.global()) {
      channelCredit.limit(m.prefetchCount());
      wakeStarved();
    } else {
      consumerPrefetch = m.prefetchCount();
    }
    channel.reply(new BasicQosOk());
  }

  /** The channel's direct reply-to side (its consumer on the pseudo-queue, its reply name). */
  DirectReplies replies() {
    return replies;
  }

  void consume(BasicConsume m) {
    String queueName = channel.resolveQueue(m.queue());
    if (queueName.equals(io.warren.server.replyto.DirectReplyTo.QUEUE)) {
      replies.consume(m, uniqueTag(m));
      return;
    }
    guard.queue(Operation.READ, queueName);
    DeclaredQueue q = vhost.requireQueue(queueName, connection);
    String tag = uniqueTag(m);
    int priority = priorityArgument(m.arguments(), queueName);
    ChannelConsumer c = new ChannelConsumer(tag, q.queue(), m.noAck(), m.exclusive(), priority,
        new Credit(consumerPrefetch), channelCredit, outbound, m.arguments(), q.counters());
    consumers.put(tag, c);
    channel.await(q.queue().addConsumer(c), ignored -> {
      if (!m.noWait()) {
        channel.reply(new BasicConsumeOk(tag));
      }
      c.activate();
    }, failure -> consumers.remove(tag));
  }

  private String uniqueTag(BasicConsume m) {
    String tag = m.consumerTag().isEmpty() ? newTag() : m.consumerTag();
    if (consumers.containsKey(tag) || replies.isConsumer(tag)) {
      throw new ConnectionException(ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'",
          m.classId(), m.methodId());
    }
    return tag;
  }

  private int priorityArgument(Map<String, Object> args, String queueName) {
    if (!args.containsKey("x-priority")) {
      return 0;
    }
    Object p = args.get("x-priority");
    Long value = FieldTypes.integer(p);
    if (value != null) {
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
    // RabbitMQ's text, Erlang-quoted reason included
    throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "invalid arg 'x-priority' for queue '" + queueName
        + "' in vhost '" + vhost.name() + "': \"expected integer, got " + FieldTypes.name(p) + "\"", 60, 20);
  }

  private static String newTag() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "amq.ctag-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  void cancel(BasicCancel m) {
    ChannelConsumer c = consumers.remove(m.consumerTag());
    if (c == null) {
      if (replies.isConsumer(m.consumerTag())) {
        replies.cancel();
      }
      if (!m.noWait()) {
        channel.reply(new BasicCancelOk(m.consumerTag()));
      }
      return;
    }
    channel.await(c.queue().removeConsumer(c), ignored -> {
      if (!m.noWait()) {
        channel.reply(new BasicCancelOk(m.consumerTag()));
      }
    }, failure -> { });
  }

  void get(BasicGet m) {
    String queueName = channel.resolveQueue(m.queue());
    guard.queue(Operation.READ, queueName);
    DeclaredQueue q = vhost.requireQueue(queueName, connection);
    CompletableFuture<GetResult> result = new CompletableFuture<>();
    q.queue().get(m.noAck(), new GetCallback() {
      @Override
      public void onResult(GetResult r) {
        result.complete(r);
      }

      @Override
      public void onFailure(QueueException failure) {
        result.completeExceptionally(failure);
      }
    });
    channel.await(result, r -> {
      if (r.isEmpty()) {
        channel.stats().add(Stat.GET_EMPTY);
        q.counters().add(Stat.GET_EMPTY);
        channel.reply(new BasicGetEmpty());
        return;
      }
      QueueEntry e = r.entry();
      if (closed) {
        giveBack(e, m.noAck());
        return;
      }
      Stat got = m.noAck() ? Stat.GET_NO_ACK : Stat.GET;
      channel.stats().add(got);
      q.counters().add(got);
      if (e.redelivered()) {
        channel.stats().add(Stat.REDELIVER);
        q.counters().add(Stat.REDELIVER);
      }
      long tag = nextTag++;
      if (!m.noAck()) {
        unacked.add(new Unacked(tag, e, null, ackTimeouts.now()));
        ackTimeouts.delivered(e.queue());
      }
      Message msg = e.message();
      channel.writeDelivery(new BasicGetOk(tag, e.redelivered(), msg.exchange(), msg.routingKey(), r.messageCount()),
          e);
      io.warren.server.vhost.Firehose firehose = vhost.firehose();
      if (firehose != null) {
        firehose.delivered(channel.traceOrigin(), queueName, e.redelivered(), msg);
      }
      if (m.noAck()) {
        msg.release();
      }
    }, failure -> { });
  }

  // ---- deliveries from queues (event loop) ----------------------------------------------------------------------

  @Override
  public void deliver(Outbound.Item item) {
    QueueEntry e = item.entry();
    ChannelConsumer c = item.consumer();
    if (closed || c.timedOut()) {
      // a timed-out consumer's tag is unknown to the client since basic.cancel: never deliver under it again
      giveBack(e, c.noAck());
      return;
    }
    Stat delivered = c.noAck() ? Stat.DELIVER_NO_ACK : Stat.DELIVER;
    channel.stats().add(delivered);
    c.queueCounters().add(delivered);
    if (item.redelivered()) {
      channel.stats().add(Stat.REDELIVER);
      c.queueCounters().add(Stat.REDELIVER);
    }
    long tag = nextTag++;
    if (!c.noAck()) {
      unacked.add(new Unacked(tag, e, c, ackTimeouts.now()));
      ackTimeouts.delivered(e.queue());
    }
    Message msg = e.message();
    channel.writeDelivery(new BasicDeliver(c.tag(), tag, item.redelivered(), msg.exchange(), msg.routingKey()), e);
    io.warren.server.vhost.Firehose firehose = vhost.firehose(); // null unless tracing: the only cost when off
    if (firehose != null) {
      firehose.delivered(channel.traceOrigin(), e.queue().name(), item.redelivered(), msg);
    }
    if (c.noAck()) {
      msg.release();
    }
  }

  private static void giveBack(QueueEntry e, boolean noAck) {
    if (noAck) {
      e.message().release();
    } else {
      e.queue().requeue(e);
    }
  }

  @Override
  public void consumerCancelled(ChannelConsumer c) {
    if (consumers.remove(c.tag()) == c && !closed) {
      channel.reply(new BasicCancel(c.tag(), true));
      channel.flush();
    }
  }

  @Override
  public void drained() {
    channel.flush();
    // a queue may have stopped because this hand-off was full; it has room again now
    resume();
  }

  // ---- acknowledgements -----------------------------------------------------------------------------------------

  /**
   * basic.ack / nack / reject; {@code ack} false means nack or reject with the given requeue flag. Returns the
   * deliveries settled (tx.commit waits for their queues to journal them).
   */
  List<Unacked> settle(long tag, boolean multiple, boolean ack, boolean requeue) {
    List<Unacked> done;
    if (multiple) {
      if (tag != 0 && !unacked.contains(tag)) {
        throw unknownTag(tag);
      }
      done = tag == 0 ? unacked.removeAll() : unacked.removeUpTo(tag);
    } else {
      Unacked u = unacked.remove(tag);
      if (u == null) {
        throw unknownTag(tag);
      }
      done = List.of(u);
    }
    apply(done, ack, requeue, true);
    if (ack) {
      channel.stats().add(Stat.ACK, done.size());
      for (Unacked u : done) {
        if (u.consumer() != null) {
          u.consumer().queueCounters().add(Stat.ACK);
        } else {
          ackedGet(u);
        }
      }
    }
    return done;
  }

  /** Counts the ack of a basic.get delivery on its queue, if the queue is still the one it came from. */
  private void ackedGet(Unacked u) {
    DeclaredQueue q = vhost.queue(u.entry().queue().name());
    if (q != null && q.queue() == u.entry().queue()) {
      q.counters().add(Stat.ACK);
    }
  }

  /** Checks that a tag could be settled now, for acknowledgements held by a transaction. */
  void checkTag(long tag, boolean multiple) {
    if ((tag != 0 || !multiple) && !unacked.contains(tag)) {
      throw unknownTag(tag);
    }
  }

  /** The latest delivery tag this channel handed out (0 if none). */
  long lastTag() {
    return nextTag - 1;
  }

  static ChannelException unknownTag(long tag) {
    // no method ids here: the channel adds those of the ack, nack or reject that failed
    return new ChannelException(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag);
  }

  /**
   * basic.recover: requeue every unacked delivery but those {@code kept} (RabbitMQ supports only requeue=true).
   */
  void recover(boolean requeue, java.util.function.LongPredicate kept) {
    if (!requeue) {
      throw new ConnectionException(ReplyCode.NOT_IMPLEMENTED, "requeue=false", 60, 110);
    }
    List<Unacked> back = new ArrayList<>();
    for (Unacked u : unacked.removeAll()) {
      if (kept.test(u.tag())) {
        unacked.add(u); // in tag order again, as they were taken out
      } else {
        back.add(u);
      }
    }
    apply(back, false, true, false);
  }

  /** @param rejected a consumer's nack/reject (a requeue may be delayed by x-retry-*), not a recover */
  private void apply(List<Unacked> done, boolean ack, boolean requeue, boolean rejected) {
    if (done.isEmpty()) {
      return;
    }
    forEachQueue(done, (queue, entries) -> {
      if (ack) {
        queue.ack(entries);
      } else if (requeue && rejected) {
        queue.nackRequeue(entries);
      } else if (requeue) {
        queue.requeue(entries);
      } else {
        queue.discard(entries);
      }
    });
    for (Unacked u : done) {
      if (u.consumer() != null) {
        u.consumer().settled();
      }
    }
    wakeStarved();
  }

  private static void forEachQueue(List<Unacked> done, BiConsumer<MessageQueue, List<QueueEntry>> op) {
    if (done.size() == 1) {
      QueueEntry e = done.get(0).entry();
      op.accept(e.queue(), List.of(e));
      return;
    }
    Map<MessageQueue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
    for (Unacked u : done) {
      byQueue.computeIfAbsent(u.entry().queue(), k -> new ArrayList<>()).add(u.entry());
    }
    byQueue.forEach(op);
  }

  /** Wakes the queues that stopped delivering to this channel's consumers for lack of credit or room. */
  private void wakeStarved() {
    wakeups.wake(consumers.values());
  }

  /** The socket became writable again: wake queues that stopped for lack of room. */
  void resume() {
    wakeStarved();
  }

  // ---- consumer acknowledgement timeout ---------------------------------------------------------------------------

  /**
   * Cancels each consumer with a delivery unacked past its timeout (basic.cancel to the client, its unacked messages
   * requeued), as RabbitMQ does for clients that support consumer cancel notifications; the channel and its other
   * consumers carry on. An overdue basic.get has no consumer to cancel: the channel is closed, as in RabbitMQ.
   */
  private void checkAckTimeouts() {
    if (closed || unacked.isEmpty()) {
      return; // the next unacked delivery re-arms the check
    }
    List<Unacked> overdue = unacked.overdue(ackTimeouts.now(), ackTimeouts.shortest(),
        u -> ackTimeouts.timeoutOf(u.entry().queue()));
    for (Unacked u : overdue) {
      if (u.consumer() == null) {
        channel.closeWithTimeout(new ChannelException(ReplyCode.PRECONDITION_FAILED, "delivery acknowledgement on "
            + "channel " + channel.number() + " timed out. Timeout value used: "
            + ackTimeouts.timeoutOf(u.entry().queue()) + " ms. This timeout value can be configured, see consumers "
            + "doc guide to learn more"));
        return;
      }
      timeOut(u.consumer());
    }
    if (!unacked.isEmpty()) {
      ackTimeouts.rearm();
    }
  }

  private void timeOut(ChannelConsumer c) {
    if (consumers.get(c.tag()) != c) {
      return; // already cancelled (an earlier overdue delivery of the same consumer)
    }
    consumers.remove(c.tag());
    c.timeOut();
    // removed before its messages are requeued (both run in order on the queue), so they go to other consumers
    c.queue().removeConsumer(c);
    List<Unacked> its = unacked.removeOf(c);
    forEachQueue(its, MessageQueue::requeue);
    for (Unacked u : its) {
      c.settled();
    }
    channel.reply(new BasicCancel(c.tag(), true));
    channel.flush();
    wakeStarved();
  }

  /** The channel is closing: stop consumers and requeue everything unacked, in order. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    ackTimeouts.close();
    replies.close();
    for (ChannelConsumer c : consumers.values()) {
      c.queue().removeConsumer(c);
    }
    consumers.clear();
    List<Unacked> all = unacked.removeAll();
    forEachQueue(all, MessageQueue::requeue);
  }
}
