package io.warren.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages one queue holds and the state of each: ready (in FIFO order) or unacked, and when each
 * reference is released. This is where a durable log slots in: accept, settle and requeue are the
 * publish, ack and requeue records. Confined to the queue's executor.
 */
final class QueueContents {

    private static final Logger LOG = LoggerFactory.getLogger(QueueContents.class);

    private final ReadyEntries ready = new ReadyEntries();
    /** Null for a transient queue, and after {@link #detachJournal}. */
    private QueueJournal journal;
    private long nextSeq;
    private int unacked;

    QueueContents(QueueJournal journal) {
        this.journal = journal;
    }

    int readyCount() {
        return ready.size();
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    int unackedCount() {
        return unacked;
    }

    /** A new message joins the tail. */
    void accept(QueueEntry entry) {
        entry.seq = nextSeq++;
        entry.state = QueueEntry.READY;
        ready.addLast(entry);
    }

    /**
     * Takes the oldest ready entry for delivery, or null. A no-ack taker now owns the entry's Message
     * reference; otherwise the entry is unacked until settled or requeued.
     */
    QueueEntry take(boolean noAck) {
        QueueEntry entry = ready.pollFirst();
        if (entry == null) {
            return null;
        }
        if (noAck) {
            entry.state = QueueEntry.GONE;
            journalRemoval(entry);
        } else {
            entry.state = QueueEntry.UNACKED;
            unacked++;
        }
        return entry;
    }

    /** Undoes {@link #take} after a delivery that failed: the message was not handed over. */
    void untake(QueueEntry entry, boolean noAck) {
        if (!noAck) {
            unacked--;
        }
        entry.state = QueueEntry.READY;
        ready.insert(entry);
    }

    /** Ack or discard: an unacked entry leaves the queue. Anything else is ignored. */
    void settle(QueueEntry entry) {
        if (leaveUnacked(entry)) {
            release(entry);
        }
    }

    /** An unacked entry returns to its place, marked redelivered; after deletion it is released instead. */
    void requeue(QueueEntry entry, boolean queueDeleted) {
        if (!leaveUnacked(entry)) {
            return;
        }
        if (queueDeleted) {
            release(entry);
            return;
        }
        entry.redelivered = true;
        entry.deliveryCount++;
        entry.state = QueueEntry.READY;
        ready.insert(entry);
    }

    /** Releases every ready entry (purge, delete) and returns how many there were. */
    int dropReady() {
        int dropped = ready.size();
        QueueEntry entry;
        while ((entry = ready.pollFirst()) != null) {
            release(entry);
        }
        return dropped;
    }

    /** An entry the queue will not keep (enqueued after deletion, acked, discarded...). */
    void release(QueueEntry entry) {
        entry.state = QueueEntry.GONE;
        journalRemoval(entry);
        entry.message().release();
    }

    /** The broker is stopping: what is released from now on stays in the log. */
    void detachJournal() {
        flushJournal();
        journal = null;
    }

    /** Called at the end of every queue task, so a turn's acks share one record. */
    void flushJournal() {
        if (journal != null) {
            journal.flush();
        }
    }

    /**
     * A no-ack delivery that then fails puts the entry back (untake) after this was reported: the message
     * stays in memory but would not survive a restart. Rare enough (a consumer whose deliver throws).
     */
    private void journalRemoval(QueueEntry entry) {
        Message m = entry.message();
        if (journal != null && m.persistent() && m.id() >= 0) {
            journal.removed(m);
        }
    }

    private boolean leaveUnacked(QueueEntry entry) {
        if (entry.state != QueueEntry.UNACKED) {
            // A channel bug or a race with deletion must not release a reference twice.
            LOG.warn("Ignoring settlement of {}: it is not unacked", entry);
            return false;
        }
        unacked--;
        return true;
    }
}
