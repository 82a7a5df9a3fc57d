package io.warren.store;

/**
 * The ready messages of a queue, ordered by {@code seq}: a circular array like {@code ArrayDeque}, plus
 * ordered insertion so that a requeued entry returns to its original place. Requeued entries are older
 * than every never-delivered one, so insertion lands near the head and shifts the shorter side only.
 * Confined to the queue's executor.
 */
final class ReadyEntries {

    private static final int INITIAL_CAPACITY = 16;
    /** Larger arrays are dropped when the queue drains, so that one burst does not pin memory forever. */
    private static final int RETAINED_CAPACITY = 1024;

    private QueueEntry[] items = new QueueEntry[INITIAL_CAPACITY];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The i-th entry from the head (0 = oldest). */
    QueueEntry get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return at(i);
    }

    QueueEntry peekFirst() {
        return size == 0 ? null : items[head];
    }

    QueueEntry pollFirst() {
        if (size == 0) {
            return null;
        }
        QueueEntry e = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        if (--size == 0) {
            head = 0;
            if (items.length > RETAINED_CAPACITY) {
                items = new QueueEntry[INITIAL_CAPACITY];
            }
        }
        return e;
    }

    /** Appends an entry newer than all present (the enqueue path). */
    void addLast(QueueEntry e) {
        if (size > 0 && at(size - 1).seq >= e.seq) {
            throw new IllegalArgumentException("seq " + e.seq + " is not after " + at(size - 1).seq);
        }
        ensureRoom();
        set(size++, e);
    }

    /** Puts an entry back at its seq position (the requeue path). */
    void insert(QueueEntry e) {
        if (size == 0 || at(size - 1).seq < e.seq) {
            ensureRoom();
            set(size++, e);
            return;
        }
        int pos = firstAfter(e.seq);
        if (pos > 0 && at(pos - 1).seq == e.seq) {
            throw new IllegalArgumentException("seq " + e.seq + " is already ready");
        }
        ensureRoom();
        if (pos < size / 2) {
            // Shift the head side one slot left.
            head = (head - 1) & (items.length - 1);
            for (int i = 0; i < pos; i++) {
                set(i, at(i + 1));
            }
        } else {
            for (int i = size; i > pos; i--) {
                set(i, at(i - 1));
            }
        }
        set(pos, e);
        size++;
    }

    /** Index of the first entry whose seq is greater than {@code seq} (size if none). */
    private int firstAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).seq <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private QueueEntry at(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    private void set(int i, QueueEntry e) {
        items[(head + i) & (items.length - 1)] = e;
    }

    private void ensureRoom() {
        if (size < items.length) {
            return;
        }
        if (items.length == 1 << 30) {
            throw new IllegalStateException("queue full");
        }
        QueueEntry[] bigger = new QueueEntry[items.length << 1];
        for (int i = 0; i < size; i++) {
            bigger[i] = at(i);
        }
        items = bigger;
        head = 0;
    }
}
