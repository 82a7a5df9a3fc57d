package io.warren.server.channel;

import io.netty.util.concurrent.EventExecutor;
import io.warren.store.durable.MessageStore;
import io.warren.store.log.SyncCallback;
import java.util.ArrayList;
import java.util.List;

/**
 * The publishes of one channel waiting for their log records to be durable, gathered per read batch: the log is told
 * once, for the last position of the batch, instead of once per message. Its positions grow in append order, so the
 * last one being durable means all of them are; waiting per message cost a lock taken against the log's writer, a
 * waiter object and a priority-queue insert and removal for every persistent publish. The batch is handed to the log
 * by a task that runs on the event loop right after the read that brought it in.
 *
 * <p>Confined to the channel's event loop; the callbacks run on the log's writer thread.
 */
final class DurableWaits {
  private final EventExecutor loop;
  private final Runnable flushTask = this::flush;
  private MessageStore store;
  private List<SyncCallback> waiting = new ArrayList<>();
  private long last = -1;

  DurableWaits(EventExecutor loop) {
    this.loop = loop;
  }

  /** {@code outcome} hears when the record at {@code position} of {@code store} is durable (or never will be). */
  void add(MessageStore store, long position, SyncCallback outcome) {
    if (this.store != store && !waiting.isEmpty()) {
      flush();
    }
    if (waiting.isEmpty()) {
      loop.execute(flushTask);
    }
    this.store = store;
    waiting.add(outcome);
    last = Math.max(last, position);
  }

  /** Hands what was gathered to the log; also run by the task scheduled for the first of a batch. */
  void flush() {
    if (waiting.isEmpty()) {
      return;
    }
    List<SyncCallback> batch = waiting;
    waiting = new ArrayList<>(Math.max(16, batch.size()));
    long position = last;
    last = -1;
    Batch waiters = new Batch(batch);
    try {
      store.durable(position, waiters);
    } catch (RuntimeException e) {
      waiters.failed(e); // a confirm must never be left waiting
    }
  }

  /** Tells each publish of a batch, in publish order. */
  private record Batch(List<SyncCallback> outcomes) implements SyncCallback {
    @Override
    public void synced() {
      for (int i = 0; i < outcomes.size(); i++) {
        outcomes.get(i).synced();
      }
    }

    @Override
    public void failed(Throwable cause) {
      for (int i = 0; i < outcomes.size(); i++) {
        outcomes.get(i).failed(cause);
      }
    }
  }
}
