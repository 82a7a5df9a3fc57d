package io.warren.store;

/**
 * The ready messages of one priority level of a queue (the only level of a queue without priorities): FIFO by seq,
 * the oldest in memory and the rest possibly paged out. Seqs are per lane, so that a lane's {@link PagedTail} stays
 * consecutive. Confined to the queue's executor.
 */
final class Lane {

    final ReadyEntries ready = new ReadyEntries();
    /** Ready messages after those in {@link #ready}, contents out of memory. */
    final PagedTail paged = new PagedTail();
    long nextSeq;

    boolean isEmpty() {
        return ready.isEmpty() && paged.isEmpty();
    }

    int size() {
        return ready.size() + paged.size();
    }

    /** When the oldest ready message expires, {@link Message#NEVER} if never; only when not empty. */
    long headExpiry() {
        QueueEntry first = ready.peekFirst();
        return first != null ? first.expiresAt : paged.headExpiry();
    }
}
