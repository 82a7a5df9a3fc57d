package io.warren.server.channel;

import io.warren.store.EnqueueOutcome;
import io.warren.store.MessageQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What tx.commit waits for before commit-ok: every queue the transaction's publishes were routed to has taken them
 * (or was deleted meanwhile), as RabbitMQ does, so that commit-ok means "they are there". Counting: the event loop;
 * outcomes: queue threads.
 */
final class CommitBarrier implements Publisher.Outcomes, PublishOutcome {
  /** Outstanding enqueues, plus one for the commit itself until {@link #seal()}. */
  private final AtomicInteger pending = new AtomicInteger(1);
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  @Override
  public PublishOutcome publish(int arrivals) {
    pending.addAndGet(arrivals);
    return this;
  }

  @Override
  public void accepted(MessageQueue queue) {
    arrive();
  }

  @Override
  public void rejected(MessageQueue queue) {
    arrive();
  }

  @Override
  public void synced() {
    arrive();
  }

  @Override
  public void failed(Throwable cause) {
    arrive();
  }

  /** No more publishes: completes once the queues have the ones made. */
  CompletableFuture<Void> seal() {
    arrive();
    return done;
  }

  private void arrive() {
    if (pending.decrementAndGet() == 0) {
      done.complete(null);
    }
  }
}
