package io.warren.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Lock-free inbox of entries for one queue (enqueues, acks, requeues, discards), linked through the
 * entries themselves so that the hot path allocates nothing. Producers on any thread; {@link #takeAll}
 * only on the queue's executor.
 */
final class Mailbox {

    private static final VarHandle TOP;
    private static final VarHandle OP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(Mailbox.class, "top", QueueEntry.class);
            OP = lookup.findVarHandle(QueueEntry.class, "op", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Newest first (a Treiber stack): pushing is one CAS, and the consumer reverses a whole batch at once. */
    @SuppressWarnings("unused")
    private volatile QueueEntry top;

    /** @return false, posting nothing, when the entry already has an operation pending */
    boolean post(QueueEntry entry, int op) {
        if (!OP.compareAndSet(entry, QueueEntry.OP_NONE, op)) {
            return false;
        }
        QueueEntry head;
        do {
            head = (QueueEntry) TOP.getVolatile(this);
            entry.next = head;
        } while (!TOP.compareAndSet(this, head, entry));
        return true;
    }

    /**
     * Posts entries as one unit, in list order, so that the queue never acts on part of them (a requeued
     * batch must be back in place before anything is redelivered). Entries with an operation pending are
     * skipped.
     *
     * @return how many were posted
     */
    int postAll(List<QueueEntry> entries, int op) {
        QueueEntry oldest = null;
        QueueEntry newest = null;
        int posted = 0;
        for (QueueEntry entry : entries) {
            if (!OP.compareAndSet(entry, QueueEntry.OP_NONE, op)) {
                continue;
            }
            if (oldest == null) {
                oldest = entry;
            } else {
                entry.next = newest;
            }
            newest = entry;
            posted++;
        }
        if (newest == null) {
            return 0;
        }
        QueueEntry head;
        do {
            head = (QueueEntry) TOP.getVolatile(this);
            oldest.next = head;
        } while (!TOP.compareAndSet(this, head, newest));
        return posted;
    }

    /**
     * Removes every posted entry. The caller walks the result through {@code next}, oldest first, and must
     * clear {@code next} then set {@code op} to OP_NONE on each before the entry may be posted again.
     */
    QueueEntry takeAll() {
        QueueEntry e = (QueueEntry) TOP.getAndSet(this, null);
        QueueEntry oldestFirst = null;
        while (e != null) {
            QueueEntry older = e.next;
            e.next = oldestFirst;
            oldestFirst = e;
            e = older;
        }
        return oldestFirst;
    }
}
