package io.warren.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a backlogged queue's ready messages go beyond its {@link Residency} window, and how they come back: a
 * persistent logged message keeps only its log position (the journal pages out), any other goes to the
 * {@link MessageSpill} when memory is scarce, else stays resident in order inside the lane's {@link PagedTail}. The
 * caller keeps the counts. Confined to the queue's executor.
 */
final class Paging {

    private static final Logger LOG = LoggerFactory.getLogger(Paging.class);

    private final MessageQueue queue;
    private final int residentLimit;
    private final long residentBytesLimit;
    /** Reads paged-out messages back; null unless the queue's journal pages out. */
    private final QueueJournal pager;
    /** Null keeps what the journal cannot page out resident. */
    private final MessageSpill spill;
    /**
     * Delivery counts of recovered messages that had come back to the queue before the restart, by log position,
     * until they are read back (few: only those requeued and not yet acked when the broker stopped).
     */
    private final java.util.Map<Long, Integer> recoveredCounts = new java.util.HashMap<>();
    /** Set after a failed spill write: the rest stays resident (one WARN per queue, not one per message). */
    private boolean spillFailed;

    Paging(MessageQueue queue, QueueJournal journal, MessageSpill spill, Residency residency) {
        this.queue = queue;
        this.residentLimit = residency.readyMessages();
        this.residentBytesLimit = residency.readyBytes();
        this.pager = journal != null && journal.pagesOut() ? journal : null;
        this.spill = spill;
    }

    /** A recovered paged-out message comes with this delivery count. */
    void recoveredCount(long id, int count) {
        recoveredCounts.put(id, count);
    }

    boolean pagesOut() {
        return pager != null;
    }

    /**
     * Puts a new entry at the tail of the lane's paged part if the lane already pages or the window is full; false
     * when it belongs in memory.
     *
     * @param journaled whether the journal is still attached (a detached one must not drop contents)
     * @param size body bytes to keep with it, -1 when sizes are not tracked
     */
    boolean offer(Lane lane, QueueEntry entry, boolean journaled, int residentCount, long residentBytes, int size) {
        Message m = entry.message();
        boolean pageable = pager != null && journaled && m.persistent() && m.id() >= 0;
        boolean spillNow = spill != null && spill.advised();
        if (lane.paged.isEmpty() && (!(pageable || spillNow)
                || (residentCount < residentLimit && residentBytes < residentBytesLimit))) {
            return false;
        }
        if (pageable) {
            // The log holds the contents (its writer keeps its own slices until written).
            lane.paged.addPaged(entry.seq, m.id(), entry.redelivered, entry.expiresAt, size);
            entry.state = QueueEntry.GONE;
            m.release();
        } else if (!spillNow || !spillOut(lane, entry, size)) {
            lane.paged.addResident(entry, size >= 0);
        }
        return true;
    }

    /** Writes a message the journal cannot page out to the spill; false (kept resident) if that fails. */
    private boolean spillOut(Lane lane, QueueEntry entry, int size) {
        if (spillFailed) {
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
        lane.paged.addPaged(entry.seq, position | PagedTail.SPILLED, entry.redelivered, entry.expiresAt, size);
        entry.state = QueueEntry.GONE;
        m.release();
        return true;
    }

    /**
     * Removes the lane's oldest paged slot and returns it as a ready entry, read back if needed; null if it could not
     * be read (then it is dropped, with a WARN, and its removal journaled in {@code journal}).
     */
    QueueEntry pageIn(Lane lane, QueueJournal journal) {
        PagedTail paged = lane.paged;
        long seq = paged.headSeq();
        long value = paged.peek();
        long expiresAt = paged.headExpiry();
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
            forget(value, journal);
            return null;
        }
        QueueEntry entry = new QueueEntry(queue, m, null);
        entry.seq = seq;
        entry.redelivered = PagedTail.redelivered(value);
        if (!spilled && !recoveredCounts.isEmpty()) {
            Integer count = recoveredCounts.remove(id);
            entry.deliveryCount = count == null ? 0 : count;
        }
        entry.expiresAt = expiresAt;
        entry.state = QueueEntry.READY;
        return entry;
    }

    /** A paged-out slot leaves for good without being read: ack it in the log, or free its spill record. */
    void forget(long value, QueueJournal journal) {
        long id = PagedTail.position(value);
        if (PagedTail.spilled(value)) {
            spill.discard(id);
        } else if (journal != null) {
            recoveredCounts.remove(id);
            journal.removed(id);
        }
    }

    /** The body size of a logged message, read back for a byte limit (0 if unreadable: reading it fails later). */
    int sizeOf(long id) {
        try {
            Message m = pager.read(id);
            try {
                return m.bodySize();
            } finally {
                m.release();
            }
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
