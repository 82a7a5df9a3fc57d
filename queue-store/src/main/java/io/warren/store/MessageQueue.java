package io.warren.store;

import io.warren.store.durable.RecoveredMessages;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory classic queue: FIFO ready messages, competing consumers with credit and priorities, and
 * unacked bookkeeping. Thread-safe by confinement: public methods only post work to the queue's
 * {@link SerialExecutor}, where all state lives (in {@link QueueState}); the counters are published for other
 * threads.
 *
 * <p>Unacked entries are not collected here: the channel holds them and hands them back, so the queue
 * keeps only their count and each entry's state (see {@link QueueContents}). Enqueues, acks,
 * requeues and discards travel through a {@link Mailbox} linked through the entries themselves, so
 * that the hot path allocates nothing but the {@link QueueEntry}. Every other task first drains the
 * mailbox: an operation then sees everything its caller enqueued before it.
 *
 * <p>The queue's {@link QueueFeatures} add, each in its own class: message expiry ({@link Expiry}), length limits
 * ({@link LengthLimit}), dead-lettering ({@link DeadLettering}), priority lanes ({@link PriorityLanes}), single active
 * consumer ({@link ConsumerRing}), delivery limit and delayed retries ({@link QueueContents}), and {@code x-expires}
 * ({@link IdleExpiry}). Without features (and without hooks) none of them costs anything on the hot path.
 */
public final class MessageQueue {

    /** Deliveries per executor turn: bounds how long one busy queue holds a pool thread. */
    static final int DELIVERY_BATCH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(MessageQueue.class);

    private final String vhost;
    private final QueueSettings settings;
    private volatile QueueFeatures features;
    private final SerialExecutor executor;
    private final AtomicBoolean turnScheduled = new AtomicBoolean();
    private final Runnable turn = this::runTurn;

    /** Everything confined to the executor. */
    private final QueueState state;
    private final Mailbox mailbox;

    /**
     * @param executor runs this queue's tasks; normally one per queue, named after it
     * @param listener told once when the queue is deleted
     */
    public MessageQueue(String vhost, QueueSettings settings, SerialExecutor executor, QueueListener listener) {
        this(vhost, settings, executor, listener, null);
    }

    /**
     * @param journal told when a persistent message leaves the queue for good; null for a transient queue
     */
    public MessageQueue(String vhost, QueueSettings settings, SerialExecutor executor, QueueListener listener,
                        QueueJournal journal) {
        this(vhost, settings, executor, listener, journal, null);
    }

    /** @param spill where a backlogged queue pages out what {@code journal} cannot; null keeps it in memory */
    public MessageQueue(String vhost, QueueSettings settings, SerialExecutor executor, QueueListener listener,
                        QueueJournal journal, MessageSpill spill) {
        this(vhost, settings, executor, listener, journal, spill, Residency.DEFAULT);
    }

    /** @param residency how much of a backlog stays in memory before the rest is paged out */
    public MessageQueue(String vhost, QueueSettings settings, SerialExecutor executor, QueueListener listener,
                        QueueJournal journal, MessageSpill spill, Residency residency) {
        this(vhost, settings, executor, listener, journal, spill, residency, QueueFeatures.NONE, null);
    }

    /**
     * @param features TTLs, length limits, dead-lettering, priorities... from the queue's effective arguments
     * @param hooks clock, timer, dead-letter and retry collaborators; null only with {@link QueueFeatures#NONE}
     */
    public MessageQueue(String vhost, QueueSettings settings, SerialExecutor executor, QueueListener listener,
                        QueueJournal journal, MessageSpill spill, Residency residency, QueueFeatures features,
                        QueueHooks hooks) {
        this.features = Objects.requireNonNull(features, "features");
        this.vhost = Objects.requireNonNull(vhost, "vhost");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.state = new QueueState(this, executor, Objects.requireNonNull(listener, "listener"), journal, spill,
                residency, features, hooks);
        this.mailbox = state.mailbox;
    }

    public String name() {
        return settings.name();
    }

    public String vhost() {
        return vhost;
    }

    public QueueSettings settings() {
        return settings;
    }

    /** What the queue's effective arguments (its own over any policy) ask of it. */
    public QueueFeatures features() {
        return features;
    }

    /** Ready messages (not counting unacked), as of the queue's last task. */
    public int messageCount() {
        return state.messageCount;
    }

    public int consumerCount() {
        return state.consumerCount;
    }

    public int unackedCount() {
        return state.unackedCount;
    }

    /**
     * Body bytes of the ready messages, as of the queue's last task. Messages paged out of memory count only when the
     * queue tracks their sizes (it has a byte limit); otherwise this covers the in-memory ones.
     */
    public long readyBytes() {
        return state.readyBytes;
    }

    /** Body bytes of the messages delivered and not yet acked, as of the queue's last task. */
    public long unackedBytes() {
        return state.unackedBytes;
    }

    /** How far publishers are ahead of this queue, for credit flow. */
    public InboxCredit inbox() {
        return state.inbox;
    }

    public boolean isDeleted() {
        return state.deleted;
    }

    /**
     * Takes over one reference of {@code message} (released if the queue was deleted).
     *
     * @param outcome told whether the queue took it; null when the publisher does not need to know
     */
    public void enqueue(Message message, EnqueueOutcome outcome) {
        state.inbox.posted(message);
        mailbox.post(new QueueEntry(this, message, outcome), QueueEntry.OP_ENQUEUE);
        requestTurn();
    }

    /**
     * Puts back a message recovered from the log at the tail, marked redelivered (it may have been delivered
     * before the restart). Takes over one reference, as {@link #enqueue} does.
     */
    public void restore(Message message) {
        QueueEntry entry = new QueueEntry(this, message, null);
        entry.redelivered = true;
        state.inbox.posted(message);
        mailbox.post(entry, QueueEntry.OP_ENQUEUE);
        requestTurn();
    }

    /**
     * Puts back messages recovered from the log, in order, as log positions only (read back when delivered),
     * marked redelivered. Only for a queue whose journal {@linkplain QueueJournal#pagesOut pages out}. Takes
     * over the array.
     */
    public void restorePaged(long[] ids) {
        executor.execute(() -> {
            state.processMailbox();
            state.contents.restorePaged(ids, ids.length);
            state.deliverAndPublish();
        });
    }

    /**
     * Puts back a queue's messages recovered from the log, in order, as log positions only (read back when
     * delivered), marked redelivered: each to its priority lane, expiring at its own expiry or its arrival plus the
     * queue's TTL, whichever is first. Only for a queue whose journal {@linkplain QueueJournal#pagesOut pages out}.
     * Takes over the arrays.
     */
    public void restore(RecoveredMessages.RecoveredQueue recovered) {
        executor.execute(() -> {
            state.processMailbox();
            state.restore(recovered);
            state.deliverAndPublish();
        });
    }

    /** The queue was declared again: for {@code x-expires}, that counts as use. Any thread. */
    public void touch() {
        state.touch();
    }

    /** Ready messages whose contents are out of memory, and body bytes of those in memory (for tests). */
    public CompletableFuture<long[]> pagingStats() {
        return call(() -> new long[] {state.contents.pagedCount(), state.contents.residentReadyBytes()}, false);
    }

    /**
     * Completes (on the queue's executor, before any delivery to this consumer) once the consumer is
     * added; fails with NOT_FOUND if the queue is deleted, ACCESS_REFUSED if exclusivity forbids it.
     */
    public CompletableFuture<Void> addConsumer(QueueConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return call(() -> {
            state.addConsumer(consumer);
            return null;
        }, true);
    }

    /**
     * Stops deliveries to the consumer; its unacked entries stay with the channel. Completes once no more
     * deliveries can reach it (the moment for basic.cancel-ok). May auto-delete the queue.
     */
    public CompletableFuture<Void> removeConsumer(QueueConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return call(() -> {
            state.removeAndMaybeAutoDelete(consumer);
            return null;
        }, false);
    }

    /** A consumer has credit again or its socket became writable: try delivering. */
    public void consumerReady() {
        requestTurn();
    }

    public void ack(QueueEntry entry) {
        settle(entry, QueueEntry.OP_ACK);
    }

    public void ack(List<QueueEntry> entries) {
        settle(entries, QueueEntry.OP_ACK);
    }

    /** Back to its original place, ahead of newer messages, marked redelivered. */
    public void requeue(QueueEntry entry) {
        settle(entry, QueueEntry.OP_REQUEUE);
    }

    /** All back in place before any of them is delivered again. */
    public void requeue(List<QueueEntry> entries) {
        settle(entries, QueueEntry.OP_REQUEUE);
    }

    /**
     * A consumer rejected it with {@code requeue=true} (basic.nack / basic.reject): with a {@link RetryPolicy} (and a
     * {@link RedeliveryScheduler}) it leaves to be redelivered after a delay, or is dead-lettered once the retries are
     * exhausted; otherwise it is requeued like {@link #requeue}. Channel close, recover, cancel and consumer timeouts
     * use {@link #requeue}: they never consume a retry.
     */
    public void nackRequeue(QueueEntry entry) {
        settle(entry, QueueEntry.OP_NACK_REQUEUE);
    }

    /** As {@link #nackRequeue(QueueEntry)}, for several (basic.nack multiple). */
    public void nackRequeue(List<QueueEntry> entries) {
        settle(entries, QueueEntry.OP_NACK_REQUEUE);
    }

    /** Rejected without requeue: the message leaves the queue, dead-lettered (rejected) if it has a DLX. */
    public void discard(QueueEntry entry) {
        settle(entry, QueueEntry.OP_DISCARD);
    }

    public void discard(List<QueueEntry> entries) {
        settle(entries, QueueEntry.OP_DISCARD);
    }

    /** basic.get: takes the oldest ready message, if any. */
    public void get(boolean noAck, GetCallback callback) {
        Objects.requireNonNull(callback, "callback");
        executor.execute(() -> {
            state.processMailbox();
            QueueEntry entry = state.get(noAck);
            state.publishCounters();
            if (state.deleted) {
                callback.onFailure(QueueException.notFound(vhost, name()));
            } else {
                callback.onResult(entry == null ? GetResult.EMPTY
                        : new GetResult(entry, state.contents.readyCount()));
            }
        });
    }

    /**
     * Makes the queue follow its effective features as {@code current} computes them on the queue's executor (a policy
     * changed): computing them there, in turn, means that of two changes made one after the other the later one wins.
     * Completes once the queue follows them (exceptionally if {@code current} throws; the queue keeps its features).
     * See {@link QueueState#updateFeatures} for what changes. Any thread.
     */
    public CompletableFuture<Void> updateFeatures(Supplier<QueueFeatures> current) {
        Objects.requireNonNull(current, "current");
        return call(() -> {
            QueueFeatures next = Objects.requireNonNull(current.get(), "features");
            if (!next.equals(features)) {
                features = next;
                state.updateFeatures(next);
            }
            return null;
        }, false);
    }

    /** Drops the ready messages (unacked ones stay) and completes with how many; NOT_FOUND if deleted. */
    public CompletableFuture<Integer> purge() {
        return call(() -> {
            state.failIfDeleted();
            return state.contents.dropReady();
        }, false);
    }

    /**
     * Deletes the queue and completes with the number of ready messages dropped (0 if it was already
     * deleted). Consumers get {@code cancelledByQueue()}; unacked messages are released as the channels
     * ack or requeue them. Fails with PRECONDITION_FAILED when {@code ifEmpty} and messages are ready, or
     * {@code ifUnused} and it has consumers.
     */
    public CompletableFuture<Integer> delete(boolean ifUnused, boolean ifEmpty) {
        return call(() -> state.delete(ifUnused, ifEmpty), false);
    }

    /**
     * The broker is stopping: releases the messages from memory without recording their removal (a durable queue's
     * stay in the log for the next start). Later enqueues and requeues are released too. No listener call.
     */
    public CompletableFuture<Void> shutdown() {
        return call(() -> {
            state.shutdown();
            return null;
        }, false);
    }

    /** Exact counts, ordered after the caller's earlier enqueues; NOT_FOUND if deleted. */
    public CompletableFuture<QueueStats> stats() {
        return call(() -> {
            state.failIfDeleted();
            return new QueueStats(state.contents.readyCount(), state.consumers.size(),
                    state.contents.unackedCount());
        }, false);
    }

    /**
     * Completes once every ack, requeue and discard posted before this call has been applied and the journal has
     * written their ack records (appended to the log, not yet durable): tx.commit waits for this and then for the
     * log. Also completes on a deleted queue.
     */
    public CompletableFuture<Void> settled() {
        return call(() -> null, false);
    }

    private void settle(QueueEntry entry, int op) {
        checkOwner(entry);
        if (mailbox.post(entry, op)) {
            requestTurn();
        } else {
            LOG.warn("Ignoring a second settlement of {} while one is pending", entry);
        }
    }

    private void settle(List<QueueEntry> entries, int op) {
        entries.forEach(this::checkOwner);
        int posted = mailbox.postAll(entries, op);
        if (posted < entries.size()) {
            LOG.warn("Ignoring {} settlement(s) on {} repeated while pending", entries.size() - posted, this);
        }
        requestTurn();
    }

    private void checkOwner(QueueEntry entry) {
        if (entry.queue() != this) {
            throw new IllegalArgumentException(entry + " does not belong to " + this);
        }
    }

    void requestTurn() {
        if (!turnScheduled.get() && turnScheduled.compareAndSet(false, true)) {
            executor.execute(turn);
        }
    }

    /** The queue's recurring task; it and everything below run on the executor. */
    private void runTurn() {
        // Reset first: a request arriving while this turn runs must get a turn of its own.
        turnScheduled.set(false);
        state.processMailbox();
        state.deliverAndPublish();
    }

    /** Runs {@code body} on the executor and completes the future with its result or its exception. */
    private <T> CompletableFuture<T> call(Supplier<T> body, boolean deliverAfter) {
        CompletableFuture<T> done = new CompletableFuture<>();
        executor.execute(() -> {
            state.processMailbox();
            T result;
            try {
                result = body.get();
            } catch (RuntimeException e) {
                if (!(e instanceof QueueException)) {
                    executor.reportFailure(e);
                }
                state.publishCounters();
                done.completeExceptionally(e);
                return;
            }
            state.publishCounters();
            done.complete(result);
            if (deliverAfter) {
                state.deliverAndPublish();
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "MessageQueue[" + QueueException.describe(vhost, name()) + "]";
    }
}
