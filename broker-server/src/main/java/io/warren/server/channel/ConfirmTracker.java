package io.warren.server.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.warren.store.EnqueueOutcome;
import io.warren.store.MessageQueue;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publisher confirms of one channel: numbers publishes, learns from every target queue whether it took the message,
 * and sends basic.ack/nack in publish order, coalescing runs of acks into one {@code multiple} ack. Outcomes arrive
 * on queue threads and are handed to the event loop in batches. numbering and sending: the event loop; outcomes:
 * any thread.
 */
final class ConfirmTracker implements Publisher.Outcomes {
  /** Sends the confirms; called on the event loop. */
  interface Sender {
    void ack(long tag, boolean multiple);

    void nack(long tag, boolean multiple);

    /** {@code count} publishes were just acked (the management API's {@code confirm} counter). */
    void confirmed(int count);

    void flush();
  }

  /** One confirmed publish waiting for its queues. */
  final class Pending implements PublishOutcome {
    final long tag;
    final AtomicInteger remaining;
    volatile boolean rejected;
    boolean done; // event loop only

    Pending(long tag, int queues) {
      this.tag = tag;
      this.remaining = new AtomicInteger(queues);
    }

    @Override
    public void accepted(MessageQueue queue) {
      arrive();
    }

    @Override
    public void rejected(MessageQueue queue) {
      // RabbitMQ acks a publish whose queue was deleted before taking it (nothing will ever hold it, so a nack
      // would only invite a pointless republish); other refusals are nacks.
      if (!queue.isDeleted()) {
        rejected = true;
      }
      arrive();
    }

    @Override
    public void synced() {
      arrive();
    }

    @Override
    public void failed(Throwable cause) {
      // the log could not make it durable: the publisher must not believe it safe
      rejected = true;
      arrive();
    }

    private void arrive() {
      if (remaining.decrementAndGet() == 0) {
        completed.offer(this);
        if (scheduled.compareAndSet(false, true)) {
          try {
            loop.execute(drainTask);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            // the connection's event loop has shut down (the broker is closing): there is nobody left to confirm to,
            // and the client, whose connection closed, publishes again whatever it did not get confirmed
          }
        }
      }
    }
  }

  private final EventExecutor loop;
  private final Sender sender;
  private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
  private final Queue<Pending> completed = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private long nextTag = 1;
  private boolean closed;

  ConfirmTracker(EventExecutor loop, Sender sender) {
    this.loop = loop;
    this.sender = sender;
  }

  /** Numbers a publish routed to {@code queues} queues (0: confirmed at once, after any basic.return). */
  @Override
  public Pending publish(int queues) {
    Pending p = new Pending(nextTag++, queues);
    inOrder.add(p);
    if (queues == 0) {
      p.done = true;
      settleHead();
    }
    return p;
  }

  /** Publishes are numbered but none is waiting: nothing to send. */
  boolean idle() {
    return inOrder.isEmpty();
  }

  void close() {
    closed = true;
    inOrder.clear();
  }

  private void drain() {
    scheduled.set(false);
    Pending p;
    while ((p = completed.poll()) != null) {
      p.done = true;
    }
    if (!closed) {
      settleHead();
      sender.flush();
    }
  }

  /** Sends confirms for the finished publishes at the head, coalescing consecutive acks. */
  private void settleHead() {
    long ackRunEnd = -1;
    int ackRunLength = 0;
    int acked = 0;
    while (!inOrder.isEmpty() && inOrder.peekFirst().done) {
      Pending p = inOrder.pollFirst();
      if (p.rejected) {
        if (ackRunEnd > 0) {
          sender.ack(ackRunEnd, ackRunLength > 1);
          ackRunEnd = -1;
          ackRunLength = 0;
        }
        sender.nack(p.tag, false);
      } else {
        ackRunEnd = p.tag;
        ackRunLength++;
        acked++;
      }
    }
    if (ackRunEnd > 0) {
      sender.ack(ackRunEnd, ackRunLength > 1);
    }
    if (acked > 0) {
      sender.confirmed(acked); // one counter add per batch of confirms, not one per publish
    }
  }
}
