package io.warren.store.durable;

import java.util.Arrays;

/**
 * The publish records still live: for each, how many durable queues still hold its message. The oldest
 * one bounds which log segments may be deleted. Thread-safe (queues settle from their own executors).
 *
 * <p>Kept compact because a deep backlog has millions of entries: two parallel arrays (position, count)
 * sorted by position, 12 bytes per live publish. New publishes arrive in position order (registered under
 * the log's append order), so adding is an append; a settled entry becomes a hole (count 0) that the head
 * skips and that growing the arrays squeezes out.
 */
final class LiveMessages {
    private long[] positions = new long[1024];
    private int[] counts = new int[1024];
    private int head;
    private int tail;
    private int live;

    /** A new publish held by {@code queues} queues (normally after every position added so far). */
    synchronized void add(long position, int queues) {
        if (tail == positions.length) {
            makeRoom();
        }
        int at = tail;
        if (tail > head && positions[tail - 1] >= position) {
            // Out of order (recovery racing a publish): rare, so a plain shift.
            int i = Arrays.binarySearch(positions, head, tail, position);
            if (i >= 0) {
                live += counts[i] == 0 ? 1 : 0;
                counts[i] += queues;
                return;
            }
            at = -i - 1;
            System.arraycopy(positions, at, positions, at + 1, tail - at);
            System.arraycopy(counts, at, counts, at + 1, tail - at);
        }
        positions[at] = position;
        counts[at] = queues;
        tail++;
        live++;
    }

    /**
     * Recovered messages of one queue: each is held once more. Sorts {@code recovered} and merges it in,
     * O(live + n), so queues whose messages interleave cost no shifting.
     */
    synchronized void addRecovered(long[] recovered, int n) {
        Arrays.sort(recovered, 0, n);
        int capacity = Math.max(1024, Integer.highestOneBit(Math.max(1, live + n)) << 1);
        long[] p = new long[capacity];
        int[] c = new int[capacity];
        int out = 0;
        int i = head;
        int j = 0;
        while (i < tail || j < n) {
            if (i < tail && counts[i] == 0) {
                i++;
            } else if (j >= n || (i < tail && positions[i] <= recovered[j])) {
                p[out] = positions[i];
                c[out++] = counts[i++];
            } else if (out > 0 && p[out - 1] == recovered[j]) {
                c[out - 1]++;
                j++;
            } else {
                p[out] = recovered[j++];
                c[out++] = 1;
            }
        }
        positions = p;
        counts = c;
        head = 0;
        tail = out;
        live = out;
    }

    /** One more holder of a position that is still live; false, and nothing changes, if it is not live any more. */
    synchronized boolean retainIfLive(long position) {
        int i = Arrays.binarySearch(positions, head, tail, position);
        if (i < 0 || counts[i] <= 0) {
            return false;
        }
        counts[i]++;
        return true;
    }

    /** A queue let go of it. Unknown positions (settled twice, or never live) are ignored. */
    synchronized void remove(long position) {
        int i = Arrays.binarySearch(positions, head, tail, position);
        if (i < 0 || counts[i] <= 0) {
            return;
        }
        if (--counts[i] == 0) {
            live--;
            while (head < tail && counts[head] == 0) {
                head++;
            }
            if (head == tail) {
                head = 0;
                tail = 0;
                if (positions.length > 1024) {
                    // a drained backlog must not pin its arrays
                    positions = new long[1024];
                    counts = new int[1024];
                }
            }
        }
    }

    /** The oldest live publish position, or {@code otherwise} when none is live. */
    synchronized long oldest(long otherwise) {
        return head < tail ? positions[head] : otherwise;
    }

    synchronized int size() {
        return live;
    }

    /** Squeezes out the holes, growing only if more than half the slots are live. */
    private void makeRoom() {
        int capacity = positions.length;
        if (live > capacity / 2) {
            capacity *= 2;
        } else if (capacity > 1024 && live < capacity / 8) {
            capacity /= 2;
        }
        long[] p = new long[capacity];
        int[] c = new int[capacity];
        int n = 0;
        for (int i = head; i < tail; i++) {
            if (counts[i] > 0) {
                p[n] = positions[i];
                c[n++] = counts[i];
            }
        }
        positions = p;
        counts = c;
        head = 0;
        tail = n;
    }
}
