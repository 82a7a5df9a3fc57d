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

    /**
     * Ready messages kept in memory before the queue pages the rest out: enough to feed consumers between
     * page-ins, little enough that a deep backlog costs only its {@link PagedTail}.
     */
    private final int residentReadyLimit;
    private final long residentReadyBytes;

    private final MessageQueue queue;
    private final ReadyEntries ready = new ReadyEntries();
    /** Ready messages after those in {@link #ready}, contents out of memory. */
    private final PagedTail paged = new PagedTail();
    /** Reads paged-out messages back; null unless the queue pages out. */
    private final QueueJournal pager;
    /** Null for a transient queue, and after {@link #detachJournal}. */
    private QueueJournal journal;
    /** Where messages the journal cannot page out go once the queue is backlogged; null keeps them resident. */
    private final MessageSpill spill;
    /** Set after a failed spill write: the rest stays resident (one WARN per queue, not one per message). */
    private boolean spillFailed;
    private long nextSeq;
    private int unacked;
    private long readyBytes;

    QueueContents(MessageQueue queue, QueueJournal journal) {
        this(queue, journal, null);
    }

    QueueContents(MessageQueue queue, QueueJournal journal, MessageSpill spill) {
        this(queue, journal, spill, Residency.DEFAULT);
    }

    QueueContents(MessageQueue queue, QueueJournal journal, MessageSpill spill, Residency residency) {
        this.residentReadyLimit = residency.readyMessages();
        this.residentReadyBytes = residency.readyBytes();
        this.queue = queue;
        this.journal = journal;
        this.spill = spill;
        this.pager = journal != null && journal.pagesOut() ? journal : null;
    }

    int readyCount() {
        return ready.size() + paged.size();
    }

    boolean hasReady() {
        return !ready.isEmpty() || !paged.isEmpty();
    }

    /** Ready messages whose contents are out of memory. */
    int pagedCount() {
        return paged.size();
    }

    /** Body bytes of the ready messages held in memory. */
    long residentReadyBytes() {
        return readyBytes;
    }

    /** Recovered messages, all after what the queue holds, kept as positions only and marked redelivered. */
    void restorePaged(long[] ids, int n) {
        if (pager == null) {
            throw new IllegalStateException("queue " + queue + " does not page messages out");
        }
        for (int i = 0; i < n; i++) {
            paged.addPaged(nextSeq++, ids[i], true);
        }
    }

    int unackedCount() {
        return unacked;
    }

    /** A new message joins the tail. */
    void accept(QueueEntry entry) {
        entry.seq = nextSeq++;
        entry.state = QueueEntry.READY;
        Message m = entry.message();
        boolean pageable = pager != null && journal != null && m.persistent() && m.id() >= 0;
        boolean spillNow = spill != null && spill.advised();
        if (!paged.isEmpty() || ((pageable || spillNow) && (ready.size() >= residentReadyLimit
                || readyBytes >= residentReadyBytes))) {
            if (pageable) {
                // The log holds the contents (its writer keeps its own slices until written).
                paged.addPaged(entry.seq, m.id(), entry.redelivered);
                entry.state = QueueEntry.GONE;
                m.release();
            } else if (!spillNow || !spillOut(entry)) {
                paged.addResident(entry);
            }
            return;
        }
        addReady(entry);
    }

    /** Writes a message the journal cannot page out to the spill; false (kept resident) if that fails. */
    private boolean spillOut(QueueEntry entry) {
        if (spill == null || spillFailed) {
            return false;
        }
        Message m = entry.message();
        long position;
        try {
            position = spill.write(m);
        } catch (RuntimeException e) {
            LOG.warn("Keeping {}'s overflow in memory from now on: cannot page it out: {}", queue, e.toString());
            spillFailed = true;
            return false;
        }
        paged.addPaged(entry.seq, position | PagedTail.SPILLED, entry.redelivered);
        entry.state = QueueEntry.GONE;
        m.release();
        return true;
    }

    private void addReady(QueueEntry entry) {
        ready.addLast(entry);
        readyBytes += entry.message().bodySize();
    }

    /** The oldest ready entry in memory, paging one in when only paged ones are left. */
    private QueueEntry pollReady() {
        QueueEntry entry = ready.pollFirst();
        while (entry == null && !paged.isEmpty()) {
            entry = pageIn();
            if (entry != null) {
                return entry;
            }
        }
        if (entry != null) {
            readyBytes -= entry.message().bodySize();
        }
        return entry;
    }

    /** Null if the message could not be read back (then it is dropped, with a WARN). */
    private QueueEntry pageIn() {
        long seq = paged.headSeq();
        long value = paged.peek();
        QueueEntry resident = paged.poll();
        if (resident != null) {
            return resident;
        }
        long id = PagedTail.position(value);
        boolean spilled = PagedTail.spilled(value);
        Message m;
        try {
            m = spilled ? spill.read(id) : pager.read(id);
        } catch (RuntimeException e) {
            LOG.warn("Dropping message {} of {}: cannot read it back from the {}: {}", id, queue,
                    spilled ? "transient log" : "log", e.toString());
            forgetPaged(value);
            return null;
        }
        QueueEntry entry = new QueueEntry(queue, m, null);
        entry.seq = seq;
        entry.redelivered = PagedTail.redelivered(value);
        entry.state = QueueEntry.READY;
        return entry;
    }

    /**
     * Takes the oldest ready entry for delivery, or null. A no-ack taker now owns the entry's Message
     * reference; otherwise the entry is unacked until settled or requeued.
     */
    QueueEntry take(boolean noAck) {
        QueueEntry entry = pollReady();
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
        insertReady(entry);
    }

    /** Back among the in-memory ready entries: its seq is before every paged one. */
    private void insertReady(QueueEntry entry) {
        ready.insert(entry);
        readyBytes += entry.message().bodySize();
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
        insertReady(entry);
    }

    /** Releases every ready entry (purge, delete) and returns how many there were. */
    int dropReady() {
        int dropped = readyCount();
        QueueEntry entry;
        while ((entry = ready.pollFirst()) != null) {
            release(entry);
        }
        readyBytes = 0;
        while (!paged.isEmpty()) {
            long value = paged.peek();
            QueueEntry resident = paged.poll();
            if (resident != null) {
                release(resident);
            } else {
                forgetPaged(value);
            }
        }
        return dropped;
    }

    /** A paged-out message leaves for good without being read: ack it in the log, or free its spill record. */
    private void forgetPaged(long value) {
        long id = PagedTail.position(value);
        if (PagedTail.spilled(value)) {
            spill.discard(id);
        } else if (journal != null) {
            journal.removed(id);
        }
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
