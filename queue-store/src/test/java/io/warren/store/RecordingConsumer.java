package io.warren.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A QueueConsumer that records what it is given, with prefetch-like credit set by the test. Any thread. */
class RecordingConsumer implements QueueConsumer {

    private final String tag;
    private final boolean noAck;
    private final int priority;
    private final boolean exclusive;
    private final AtomicInteger credit;
    private final List<QueueEntry> deliveries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger cancellations = new AtomicInteger();

    RecordingConsumer(String tag, boolean noAck, int credit, int priority, boolean exclusive) {
        this.tag = tag;
        this.noAck = noAck;
        this.credit = new AtomicInteger(credit);
        this.priority = priority;
        this.exclusive = exclusive;
    }

    static RecordingConsumer withCredit(String tag, int credit) {
        return new RecordingConsumer(tag, false, credit, 0, false);
    }

    static RecordingConsumer unlimited(String tag) {
        return withCredit(tag, Integer.MAX_VALUE);
    }

    static RecordingConsumer noAck(String tag) {
        return new RecordingConsumer(tag, true, Integer.MAX_VALUE, 0, false);
    }

    static RecordingConsumer withPriority(String tag, int credit, int priority) {
        return new RecordingConsumer(tag, false, credit, priority, false);
    }

    static RecordingConsumer exclusive(String tag) {
        return new RecordingConsumer(tag, false, Integer.MAX_VALUE, 0, true);
    }

    void addCredit(int n) {
        credit.addAndGet(n);
    }

    /** Snapshot of deliveries so far, oldest first. */
    List<QueueEntry> deliveries() {
        synchronized (deliveries) {
            return new ArrayList<>(deliveries);
        }
    }

    List<Long> deliveredIds() {
        return deliveries().stream().map(e -> e.message().id()).toList();
    }

    int cancellations() {
        return cancellations.get();
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public boolean noAck() {
        return noAck;
    }

    @Override
    public boolean tryAcquireCredit() {
        while (true) {
            int c = credit.get();
            if (c <= 0) {
                return false;
            }
            if (c == Integer.MAX_VALUE || credit.compareAndSet(c, c - 1)) {
                return true;
            }
        }
    }

    @Override
    public void deliver(MessageQueue queue, QueueEntry entry) {
        deliveries.add(entry);
    }

    @Override
    public void cancelledByQueue() {
        cancellations.incrementAndGet();
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    @Override
    public String toString() {
        return tag;
    }
}
