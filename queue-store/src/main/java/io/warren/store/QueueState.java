package io.warren.store;

import io.warren.store.durable.RecoveredMessages;

/**
 * Everything one queue holds and does on its executor: the mailbox's operations applied in order, deliveries, the
 * rules of its {@link QueueFeatures} (expiry, length limits, retries, x-expires timers) and deletion. {@link
 * MessageQueue} is the thread-safe face that posts work here. Confined to the queue's executor, except the
 * {@code volatile} counters, which any thread may read.
 */
final class QueueState {

    /** Deliveries per executor turn: bounds how long one busy queue holds a pool thread. */
    static final int DELIVERY_BATCH = MessageQueue.DELIVERY_BATCH;

    private final MessageQueue queue;
    /** Replaced by {@link #updateFeatures} when a policy changes (max-priority and single-active stay as created). */
    private QueueFeatures features;
    private final QueueHooks hooks;
    private final SerialExecutor executor;
    private final QueueListener listener;
    final Mailbox mailbox = new Mailbox();
    final InboxCredit inbox = new InboxCredit();
    private final ConsumerPace pace = new ConsumerPace();
    final QueueContents contents;
    final ConsumerRing consumers;
    /** x-single-active-consumer: the ring counts the active consumer's unacked entries (see {@link ConsumerRing}). */
    private final boolean singleActive;
    /** Null without a clock (no hooks): then nothing expires. */
    private Expiry expiry;
    /** The hooks' clock read once per task, for expiry (see {@link TaskClock}); null without hooks. */
    private final TaskClock clock;
    private LengthLimit limit;
    private IdleExpiry idle;

    // Written on the executor, readable anywhere.
    volatile boolean deleted;
    volatile int messageCount;
    volatile int consumerCount;
    volatile int unackedCount;
    volatile long readyBytes;
    volatile long unackedBytes;

    QueueState(MessageQueue queue, SerialExecutor executor, QueueListener listener, QueueJournal journal,
               MessageSpill spill, Residency residency, QueueFeatures features, QueueHooks hooks) {
        this.queue = queue;
        this.features = features;
        this.hooks = hooks;
        this.executor = executor;
        this.listener = listener;
        this.limit = LengthLimit.of(features);
        this.clock = hooks == null ? null : new TaskClock(hooks.clock());
        this.expiry = hooks == null ? null : new Expiry(features.messageTtl(), clock, hooks, executor,
                this::expiryTimer);
        this.idle = hooks == null || features.expires() < 0 ? null : new IdleExpiry(features.expires(), hooks,
                () -> executor.execute(this::idleTimer));
        this.singleActive = features.singleActiveConsumer();
        this.consumers = new ConsumerRing(singleActive);
        this.contents = new QueueContents(queue, journal, spill, residency, features.maxPriority(),
                DeadLettering.of(queue, features, hooks),
                clock);
        if (idle != null) {
            executor.execute(idle::arm);
        }
    }

    /**
     * Follows new effective features (a policy was set, changed or cleared): TTL, expiry, length limits, dead-lettering,
     * delivery limit, retries and consumer timeout change at once; messages already queued keep the expiry they got
     * on arrival (as in RabbitMQ); a new length limit trims or refuses from now on. The priority lanes and
     * single-active-consumer stay as the queue was created. On the executor.
     */
    void updateFeatures(QueueFeatures next) {
        if (deleted) {
            return;
        }
        features = next;
        limit = LengthLimit.of(next);
        if (expiry != null) {
            expiry.cancel();
            expiry = new Expiry(next.messageTtl(), clock, hooks, executor, this::expiryTimer);
        }
        if (idle != null) {
            idle.cancel();
            idle = null;
        }
        if (hooks != null && next.expires() >= 0) {
            idle = new IdleExpiry(next.expires(), hooks, () -> executor.execute(this::idleTimer));
            idle.arm();
        }
        contents.follow(DeadLettering.of(queue, next, hooks));
        maintain();
        deliverAndPublish();
    }

    /** Declare, basic.get and basic.consume count as use for x-expires. Any thread. */
    void touch() {
        if (idle != null) {
            idle.used();
        }
    }

    /** Recovered messages as positions, each in its lane, expiring from their arrival. */
    void restore(RecoveredMessages.RecoveredQueue recovered) {
        for (int i = 0; i < recovered.size(); i++) {
            long own = recovered.expiresAt()[i];
            long expiresAt = expiry == null ? own : expiry.expiresAt(recovered.arrivals()[i], own);
            contents.restorePaged(recovered.ids()[i], recovered.priorities()[i] & 0xff, expiresAt,
                    recovered.sizes()[i], recovered.delivered()[i], recovered.deliveryCounts()[i]);
        }
    }

    void addConsumer(QueueConsumer consumer) {
        failIfDeleted();
        if (!consumers.contains(consumer)) {
            if (!consumers.admits(consumer)) {
                throw QueueException.exclusiveUse(queue.vhost(), queue.name());
            }
            consumers.add(consumer);
        }
        touch();
    }

    /** basic.get, after the mailbox: null when empty or deleted. */
    QueueEntry get(boolean noAck) {
        touch();
        // Expired and over-limit heads go first: a get must not return what a consumer could not have got.
        maintain();
        return deleted ? null : contents.take(noAck);
    }

    int delete(boolean ifUnused, boolean ifEmpty) {
        if (deleted) {
            return 0;
        }
        // RabbitMQ checks emptiness first.
        if (ifEmpty && contents.hasReady()) {
            throw QueueException.notEmpty(queue.vhost(), queue.name());
        }
        if (ifUnused && !consumers.isEmpty()) {
            throw QueueException.inUse(queue.vhost(), queue.name());
        }
        return deleteNow();
    }

    /** The broker is stopping: drop everything from memory, keep it in the log. */
    void shutdown() {
        contents.detachJournal();
        deleted = true;
        stopTimers();
        contents.dropReady();
        consumers.removeAll();
    }

    /** Every task on the executor begins here. */
    void processMailbox() {
        if (clock != null) {
            clock.nextTask();
        }
        QueueEntry entry = mailbox.takeAll();
        long units = 0;
        while (entry != null) {
            QueueEntry next = entry.next;
            entry.next = null;
            int op = entry.op;
            entry.op = QueueEntry.OP_NONE;
            if (op == QueueEntry.OP_ENQUEUE) {
                units += InboxCredit.units(entry.message());
            }
            try {
                apply(entry, op);
            } catch (RuntimeException e) {
                // Keep going: the rest of the batch is already off the mailbox.
                executor.reportFailure(e);
            }
            entry = next;
        }
        inbox.took(units);
    }

    private void apply(QueueEntry entry, int op) {
        if (entry.holder != null) {
            consumers.settled(entry); // may let a waiting higher-priority single active consumer take over
        }
        switch (op) {
            case QueueEntry.OP_ENQUEUE -> accept(entry);
            case QueueEntry.OP_ACK -> contents.settle(entry);
            case QueueEntry.OP_DISCARD -> contents.discard(entry);
            case QueueEntry.OP_REQUEUE -> contents.requeue(entry, deleted, features.deliveryLimit());
            case QueueEntry.OP_NACK_REQUEUE -> nackRequeueNow(entry);
            default -> throw new IllegalStateException("unknown mailbox operation " + op);
        }
    }

    private void accept(QueueEntry entry) {
        EnqueueOutcome outcome = entry.outcome;
        entry.outcome = null;
        if (deleted) {
            contents.release(entry);
            if (outcome != null) {
                outcome.rejected(queue);
            }
            return;
        }
        if (expiry != null) {
            entry.expiresAt = expiry.expiresAt(entry.message());
        }
        if (limit != null && limit.refusesPublish() && refuse(entry)) {
            if (outcome != null) {
                outcome.rejected(queue);
            }
            return;
        }
        contents.accept(entry);
        if (outcome != null) {
            outcome.accepted(queue);
        }
    }

    /** reject-publish(-dlx): true if the queue is full, having let the entry go (dead-lettered as maxlen or not). */
    private boolean refuse(QueueEntry entry) {
        if (!limit.wouldOverflow(contents, entry.message())) {
            return false;
        }
        // RabbitMQ counts ready messages after handing what it can to waiting consumers.
        deliver();
        if (!deleted && !limit.wouldOverflow(contents, entry.message())) {
            return false;
        }
        if (limit.deadLettersRefused() && !deleted) {
            contents.letGo(entry, DeadReason.MAXLEN);
        } else {
            contents.release(entry);
        }
        return true;
    }

    private void nackRequeueNow(QueueEntry entry) {
        RetryPolicy policy = features.retry();
        if (policy != null && hooks != null && hooks.retries() != null && !deleted) {
            contents.retry(entry, hooks.retries(), policy);
        } else {
            contents.requeue(entry, deleted, features.deliveryLimit());
        }
    }

    /**
     * End of every task: expired heads and drop-head overflow leave, and the expiry timer is set for the next head.
     * Reads the clock only when some head has an expiry.
     */
    void maintain() {
        if (deleted) {
            return;
        }
        if (expiry != null && contents.headsMayExpire()) {
            contents.dropExpired(expiry.now());
        }
        if (limit != null) {
            limit.trim(contents);
        }
        if (expiry != null && contents.headsMayExpire()) {
            expiry.arm(contents.dropExpired(expiry.now()));
        }
    }

    /** The expiry timer went off: let expired heads go (in {@link #maintain}) even with nobody consuming. */
    private void expiryTimer() {
        processMailbox();
        deliverAndPublish();
    }

    /** x-expires: delete the queue if it stayed unused long enough, else wait for the rest. */
    private void idleTimer() {
        processMailbox();
        if (!deleted && idle.due(!consumers.isEmpty())) {
            deleteNow();
        }
        publishCounters();
    }

    void stopTimers() {
        if (expiry != null) {
            expiry.cancel();
        }
        if (idle != null) {
            idle.cancel();
        }
    }

    void deliverAndPublish() {
        try {
            deliver();
        } finally {
            publishCounters();
        }
    }

    void deliver() {
        int budget = DELIVERY_BATCH;
        while (contents.dropExpiredNext()) {
            if (budget-- == 0) {
                queue.requestTurn();
                return;
            }
            QueueConsumer consumer = consumers.nextWithCredit();
            if (consumer == null) {
                return; // until consumerReady()
            }
            boolean noAck = consumer.noAck();
            QueueEntry entry = contents.take(noAck);
            if (entry == null) {
                return; // only unreadable paged messages were left (dropped, with a WARN)
            }
            try {
                pace.took(entry.message()); // before the hand-off: the consumer's loop may release it at once
                consumer.deliver(queue, entry);
                if (singleActive && !noAck) {
                    consumers.delivered(entry);
                }
            } catch (RuntimeException e) {
                // A consumer that cannot take deliveries would otherwise lose or strand every message.
                executor.reportFailure(e);
                contents.untake(entry, noAck);
                cancel(consumer);
                removeAndMaybeAutoDelete(consumer);
            }
        }
    }

    void removeAndMaybeAutoDelete(QueueConsumer consumer) {
        if (!consumers.remove(consumer)) {
            return;
        }
        if (singleActive && consumers.active() != null) {
            // A new active consumer, or a switch called off (its newcomer left): deliver what was waiting.
            queue.requestTurn();
        }
        if (idle != null && consumers.isEmpty()) {
            // x-expires counts from when the last consumer left.
            idle.used();
            idle.arm();
        }
        // Only a removal can get here, so the queue did have a consumer, as auto-delete requires.
        if (queue.settings().autoDelete() && consumers.isEmpty() && !deleted) {
            deleteNow();
        }
    }

    int deleteNow() {
        deleted = true;
        stopTimers();
        int dropped = contents.dropReady();
        for (QueueConsumer consumer : consumers.removeAll()) {
            cancel(consumer);
        }
        publishCounters();
        try {
            listener.onDeleted(queue);
        } catch (RuntimeException e) {
            executor.reportFailure(e);
        }
        return dropped;
    }

    private void cancel(QueueConsumer consumer) {
        try {
            consumer.cancelledByQueue();
        } catch (RuntimeException e) {
            executor.reportFailure(e);
        }
    }

    void failIfDeleted() {
        if (deleted) {
            throw QueueException.notFound(queue.vhost(), queue.name());
        }
    }

    /** Runs at the end of every task: also the moment to write the task's ack records. */
    void publishCounters() {
        maintain();
        if (clock != null) {
            clock.nextTask(); // what runs after the end of a task reads the time afresh
        }
        contents.flushJournal();
        messageCount = contents.readyCount();
        consumerCount = consumers.size();
        unackedCount = contents.unackedCount();
        long ready = contents.readyBytes();
        readyBytes = ready;
        unackedBytes = contents.unackedBytes();
        pace.endOfTurn(inbox, deleted ? null : consumers, contents.readyCount() + (ready >> 12));
    }

}
