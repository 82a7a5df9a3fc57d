package io.warren.store;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages one queue holds and the state of each: ready (in FIFO order per priority lane) or unacked, and when
 * each reference is released. This is where a durable log slots in: accept, settle and requeue are the publish, ack
 * and requeue records. A message that leaves for a reason the queue's owner may want to know (rejected, expired,
 * over a limit) goes to its {@link DeadLettering} first, then its removal is journaled. Confined to the queue's
 * executor.
 */
final class QueueContents {

    private static final Logger LOG = LoggerFactory.getLogger(QueueContents.class);

    private final MessageQueue queue;
    private final PriorityLanes lanes;
    private final Paging paging;
    /** Null for a transient queue, and after {@link #detachJournal}. */
    private QueueJournal journal;
    /** Null when messages that leave are dropped rather than dead-lettered. */
    private DeadLettering deadLetters;
    /** Reads the time only when a head has an expiry; null when the queue has no clock (then nothing expires). */
    private final LongSupplier clock;
    private int unacked;
    /** Body bytes of the unacked messages. */
    private long unackedBytes;
    /** Ready messages, in memory or paged, over all lanes. */
    private int readyCount;
    /** Ready entries held in the lanes' {@link ReadyEntries}, and their body bytes: the residency window. */
    private int residentCount;
    private long residentBytes;
    /** Body bytes of every ready message, in memory or paged (paged ones keep their size in the tail). */
    private long readyBytes;

    QueueContents(MessageQueue queue, QueueJournal journal, MessageSpill spill, Residency residency, int maxPriority,
                  DeadLettering deadLetters, LongSupplier clock) {
        this.queue = queue;
        this.journal = journal;
        this.paging = new Paging(queue, journal, spill, residency);
        this.lanes = new PriorityLanes(maxPriority);
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    int readyCount() {
        return readyCount;
    }

    /** New features: where dead letters go. */
    void follow(DeadLettering deadLetters) {
        this.deadLetters = deadLetters;
    }

    boolean hasReady() {
        return readyCount > 0;
    }

    /** Ready messages whose contents are out of memory. */
    int pagedCount() {
        return readyCount - residentCount;
    }

    /** Body bytes of the ready messages held in memory. */
    long residentReadyBytes() {
        return residentBytes;
    }

    /** Body bytes of all ready messages, in memory or paged. */
    long readyBytes() {
        return readyBytes;
    }

    int unackedCount() {
        return unacked;
    }

    long unackedBytes() {
        return unackedBytes;
    }

    /** Recovered messages, all after what the queue holds, kept as positions only and marked redelivered. */
    void restorePaged(long[] ids, int n) {
        for (int i = 0; i < n; i++) {
            restorePaged(ids[i], 0, Message.NEVER, -1, true, 0);
        }
    }

    /**
     * One recovered message at the tail of its lane, as a position only: redelivered if it had been delivered before,
     * with the delivery count it had.
     */
    void restorePaged(long id, int priority, long expiresAt, int size, boolean delivered, int deliveryCount) {
        if (!paging.pagesOut()) {
            throw new IllegalStateException("queue " + queue + " does not page messages out");
        }
        if (size < 0) {
            size = paging.sizeOf(id); // not known from recovery: read back once
        }
        Lane lane = lanes.laneFor(priority);
        lane.paged.addPaged(lane.nextSeq++, id, delivered, expiresAt, Math.max(size, 0));
        if (deliveryCount > 0) {
            paging.recoveredCount(id, deliveryCount);
        }
        readyCount++;
        readyBytes += Math.max(size, 0);
    }

    /** A new message joins the tail of its lane. */
    void accept(QueueEntry entry) {
        Message m = entry.message();
        Lane lane = lanes.laneFor(m.priority());
        entry.seq = lane.nextSeq++;
        entry.state = QueueEntry.READY;
        readyCount++;
        int size = m.bodySize();
        if (paging.offer(lane, entry, journal != null, residentCount, residentBytes, size)) {
            readyBytes += size;
            return;
        }
        lane.ready.addLast(entry);
        countResident(entry, 1);
    }

    private void countResident(QueueEntry entry, int sign) {
        int size = entry.message().bodySize();
        residentCount += sign;
        residentBytes += sign * (long) size;
        readyBytes += sign * (long) size;
    }

    /** Takes the oldest in-memory ready entry of the lane, paging one in when only paged ones are left. */
    private QueueEntry pollReady(Lane lane) {
        QueueEntry entry = lane.ready.pollFirst();
        if (entry != null) {
            countResident(entry, -1);
            readyCount--;
            return entry;
        }
        while (!lane.paged.isEmpty()) {
            long before = lane.paged.bytes();
            entry = paging.pageIn(lane, journal);
            readyCount--;
            readyBytes -= before - lane.paged.bytes();
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Lets expired heads go from the lane delivery takes from next, until its head is live; false when nothing is
     * ready. Strictly past expiry only: a message due this very millisecond may still go to a waiting consumer (TTL 0).
     */
    boolean dropExpiredNext() {
        Lane lane;
        while ((lane = lanes.highest()) != null) {
            long expiresAt = lane.headExpiry();
            if (expiresAt == Message.NEVER || clock == null || clock.getAsLong() <= expiresAt) {
                return true;
            }
            dropHead(lane, DeadReason.EXPIRED);
        }
        return false;
    }

    /**
     * Takes the next ready entry for delivery (highest lane, oldest first), or null; the caller let expired heads go
     * first. A no-ack taker now owns the entry's Message reference; otherwise the entry is unacked until settled or
     * requeued.
     */
    QueueEntry take(boolean noAck) {
        Lane lane;
        while ((lane = lanes.highest()) != null) {
            QueueEntry entry = pollReady(lane);
            if (entry == null) {
                continue; // unreadable paged messages were dropped
            }
            if (noAck) {
                entry.state = QueueEntry.GONE;
                journalRemoval(entry);
            } else {
                entry.state = QueueEntry.UNACKED;
                unacked++;
                Message m = entry.message();
                unackedBytes += m.bodySize();
                // the first delivery only: a redelivered one was delivered (or returned) before, and the log says so
                if (!entry.redelivered && journal != null && m.persistent() && m.id() >= 0) {
                    journal.delivered(m.id());
                }
            }
            return entry;
        }
        return null;
    }

    /** Undoes {@link #take} after a delivery that failed: the message was not handed over. */
    void untake(QueueEntry entry, boolean noAck) {
        if (!noAck) {
            unacked--;
            unackedBytes -= entry.message().bodySize();
        }
        entry.state = QueueEntry.READY;
        insertReady(entry);
    }

    /** Back among its lane's in-memory ready entries: its seq is before every paged one. */
    private void insertReady(QueueEntry entry) {
        lanes.laneFor(entry.message().priority()).ready.insert(entry);
        countResident(entry, 1);
        readyCount++;
    }

    /** Ack: an unacked entry leaves the queue. Anything else is ignored. */
    void settle(QueueEntry entry) {
        if (leaveUnacked(entry)) {
            release(entry);
        }
    }

    /** Rejected without requeue: an unacked entry leaves the queue, dead-lettered if it has a DLX. */
    void discard(QueueEntry entry) {
        if (leaveUnacked(entry)) {
            letGo(entry, DeadReason.REJECTED);
        }
    }

    /**
     * An unacked entry returns to its place, marked redelivered; after deletion it is released instead, and past the
     * delivery limit ({@code deliveryLimit >= 0}) it is dead-lettered or dropped.
     */
    void requeue(QueueEntry entry, boolean queueDeleted, long deliveryLimit) {
        if (!leaveUnacked(entry)) {
            return;
        }
        if (queueDeleted) {
            release(entry);
            return;
        }
        entry.redelivered = true;
        entry.deliveryCount++;
        Message m = entry.message();
        if (journal != null && m.persistent() && m.id() >= 0) {
            journal.returned(m.id());
        }
        if (deliveryLimit >= 0 && entry.deliveryCount > deliveryLimit) {
            letGo(entry, DeadReason.DELIVERY_LIMIT);
            return;
        }
        entry.state = QueueEntry.READY;
        if (entry.expiresAt != Message.NEVER && clock != null) {
            long now = clock.getAsLong();
            if (entry.expiresAt <= now) {
                // Due by now: it goes when it reaches the head, not to a consumer. Only a message arriving this
                // very millisecond may go out at its expiry (TTL 0 with a consumer waiting); one that comes back
                // was delivered before, so in RabbitMQ's microseconds its expiry has passed.
                entry.expiresAt = now - 1;
            }
        }
        insertReady(entry);
    }

    /**
     * An unacked entry leaves to wait for a delayed retry: {@code scheduler} is offered the message (with a reference
     * of its own); if it declines (retries exhausted) the message is dead-lettered as rejected, or dropped.
     */
    void retry(QueueEntry entry, RedeliveryScheduler scheduler, RetryPolicy policy) {
        if (!leaveUnacked(entry)) {
            return;
        }
        Message m = entry.message().retain();
        boolean scheduled;
        try {
            scheduled = scheduler.schedule(queue, m, policy);
        } catch (RuntimeException e) {
            m.release();
            throw e;
        }
        if (scheduled) {
            release(entry);
        } else {
            m.release();
            letGo(entry, DeadReason.REJECTED);
        }
    }

    /** The message leaves for {@code reason}: dead-lettered first when the queue has a DLX, then released. */
    void letGo(QueueEntry entry, DeadReason reason) {
        if (deadLetters != null) {
            deadLetters.send(entry.message(), reason);
        }
        release(entry);
    }

    /** Removes the next message to be delivered (the highest lane's head) for {@code reason}; false if none. */
    boolean dropHead(DeadReason reason) {
        Lane lane = lanes.highest();
        if (lane == null) {
            return false;
        }
        dropHead(lane, reason);
        return true;
    }

    /** Lets go of a lane's head; a paged one is read back only to be dead-lettered. */
    private void dropHead(Lane lane, DeadReason reason) {
        if (!lane.ready.isEmpty() || deadLetters != null) {
            QueueEntry entry = pollReady(lane);
            if (entry != null) {
                letGo(entry, reason);
            }
            return;
        }
        long value = lane.paged.peek();
        long before = lane.paged.bytes();
        QueueEntry resident = lane.paged.poll();
        readyCount--;
        readyBytes -= before - lane.paged.bytes();
        if (resident != null) {
            release(resident);
        } else {
            paging.forget(value, journal);
        }
    }

    /**
     * Lets go of every lane head that has expired by {@code now} (at or past its expiry), and returns the earliest
     * expiry of the heads left, {@link Message#NEVER} if none.
     */
    long dropExpired(long now) {
        long earliest = Message.NEVER;
        for (int i = lanes.top(); i >= 0; i--) {
            Lane lane = lanes.at(i);
            if (lane == null) {
                continue;
            }
            while (!lane.isEmpty()) {
                long expiresAt = lane.headExpiry();
                if (expiresAt > now) {
                    earliest = Math.min(earliest, expiresAt);
                    break;
                }
                dropHead(lane, DeadReason.EXPIRED);
            }
        }
        return earliest;
    }

    /** Whether some lane's head has an expiry (then {@link #dropExpired} needs the time). */
    boolean headsMayExpire() {
        for (int i = lanes.top(); i >= 0; i--) {
            Lane lane = lanes.at(i);
            if (lane != null && !lane.isEmpty() && lane.headExpiry() != Message.NEVER) {
                return true;
            }
        }
        return false;
    }

    /** Releases every ready entry (purge, delete) and returns how many there were. */
    int dropReady() {
        int dropped = readyCount;
        for (int i = lanes.levels() - 1; i >= 0; i--) {
            Lane lane = lanes.at(i);
            if (lane == null) {
                continue;
            }
            QueueEntry entry;
            while ((entry = lane.ready.pollFirst()) != null) {
                release(entry);
            }
            while (!lane.paged.isEmpty()) {
                long value = lane.paged.peek();
                QueueEntry resident = lane.paged.poll();
                if (resident != null) {
                    release(resident);
                } else {
                    paging.forget(value, journal);
                }
            }
        }
        readyCount = 0;
        residentCount = 0;
        residentBytes = 0;
        readyBytes = 0;
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
        unackedBytes -= entry.message().bodySize();
        return true;
    }
}
