package io.warren.store.durable;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The publish records still live: for each, how many durable queues still hold its message. The oldest
 * one bounds which log segments may be deleted. Thread-safe (queues settle from their own executors).
 */
final class LiveMessages {
    private final ConcurrentSkipListMap<Long, AtomicInteger> refs = new ConcurrentSkipListMap<>();

    /** A new publish held by {@code queues} queues; registered before any queue can settle it. */
    void add(long position, int queues) {
        refs.put(position, new AtomicInteger(queues));
    }

    /** One more queue holds a recovered message. */
    void addOne(long position) {
        refs.computeIfAbsent(position, p -> new AtomicInteger()).incrementAndGet();
    }

    /** A queue let go of it. Unknown positions (settled twice, or never live) are ignored. */
    void remove(long position) {
        AtomicInteger n = refs.get(position);
        if (n != null && n.decrementAndGet() <= 0) {
            refs.remove(position, n);
        }
    }

    /** The oldest live publish position, or {@code otherwise} when none is live. */
    long oldest(long otherwise) {
        Map.Entry<Long, AtomicInteger> first = refs.firstEntry();
        return first == null ? otherwise : first.getKey();
    }

    int size() {
        return refs.size();
    }
}
