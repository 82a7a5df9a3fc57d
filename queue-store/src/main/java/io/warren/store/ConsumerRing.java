package io.warren.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The consumers of one queue, grouped by priority (highest first), each group served round-robin.
 *
 * <p>With {@code x-single-active-consumer} only one consumer, the active one, receives messages: the first to
 * subscribe, and when it leaves, the highest-priority consumer that subscribed earliest. When a consumer with a higher
 * priority than the active one subscribes, the queue switches to it as RabbitMQ 3.12+ does: nobody gets new messages
 * until the active one holds no unacked entry from this queue (each {@link Tenure} counts them), so that the new one
 * gets the requeued messages in their order. Confined to the queue's executor.
 */
final class ConsumerRing {

    /** Consumers of one priority, and where the round-robin resumes. */
    private static final class Level {
        final int priority;
        final ArrayList<QueueConsumer> members = new ArrayList<>();
        int cursor;

        Level(int priority) {
            this.priority = priority;
        }
    }

    /**
     * One consumer's time as the single active consumer, and how many of the entries it was given in that time are
     * still unacked. Entries point to it ({@link QueueEntry#holder}), so a settlement finds what to count down even
     * after the consumer has left or been replaced.
     */
    static final class Tenure {
        final QueueConsumer consumer;
        int unacked;

        Tenure(QueueConsumer consumer) {
            this.consumer = consumer;
        }
    }

    private final ArrayList<Level> levels = new ArrayList<>();
    private int size;
    private QueueConsumer exclusive;
    private final boolean singleActive;
    /** The only consumer served when {@link #singleActive}; null when there is none. */
    private QueueConsumer active;
    /** The active consumer's tenure; null when there is none. */
    private Tenure tenure;

    ConsumerRing() {
        this(false);
    }

    ConsumerRing(boolean singleActive) {
        this.singleActive = singleActive;
    }

    /** With single active consumer: the one that receives; otherwise null. */
    QueueConsumer active() {
        return active;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(QueueConsumer consumer) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).members.contains(consumer)) {
                return true;
            }
        }
        return false;
    }

    /** False when an exclusive consumer holds the queue, or an exclusive one would have to share it. */
    boolean admits(QueueConsumer consumer) {
        return exclusive == null && (size == 0 || !consumer.exclusive());
    }

    /** Adds at the end of its priority's round. The caller ensures it is not present and is admitted. */
    void add(QueueConsumer consumer) {
        if (consumer.exclusive()) {
            exclusive = consumer;
        }
        int priority = consumer.priority();
        int i = 0;
        while (i < levels.size() && levels.get(i).priority > priority) {
            i++;
        }
        if (i == levels.size() || levels.get(i).priority != priority) {
            levels.add(i, new Level(priority));
        }
        levels.get(i).members.add(consumer);
        size++;
        if (singleActive && active == null) {
            activate(consumer);
        }
    }

    private void activate(QueueConsumer consumer) {
        active = consumer;
        tenure = consumer == null ? null : new Tenure(consumer);
    }

    /** With single active consumer: an entry (not no-ack) was just delivered to the active one. */
    void delivered(QueueEntry entry) {
        entry.holder = tenure;
        tenure.unacked++;
    }

    /** An entry given to a single active consumer was acked, rejected or requeued (the first settlement only). */
    void settled(QueueEntry entry) {
        entry.holder.unacked--;
        entry.holder = null;
    }

    boolean remove(QueueConsumer consumer) {
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            int index = level.members.indexOf(consumer);
            if (index < 0) {
                continue;
            }
            level.members.remove(index);
            size--;
            if (consumer == exclusive) {
                exclusive = null;
            }
            if (level.members.isEmpty()) {
                levels.remove(i);
            } else {
                // Keep the round where it was: whoever followed the removed consumer is next.
                if (index < level.cursor) {
                    level.cursor--;
                }
                if (level.cursor >= level.members.size()) {
                    level.cursor = 0;
                }
            }
            if (consumer == active) {
                // Highest priority first, then the earliest subscribed (members keep subscription order).
                activate(levels.isEmpty() ? null : levels.get(0).members.get(0));
            }
            return true;
        }
        return false;
    }

    /**
     * The next consumer in round-robin order of the highest priority that has credit, having taken one
     * credit from it; null when nobody has credit. Consumers without credit are skipped, not dropped.
     */
    QueueConsumer nextWithCredit() {
        if (singleActive) {
            return nextSingleActive();
        }
        for (int l = 0; l < levels.size(); l++) {
            Level level = levels.get(l);
            int n = level.members.size();
            for (int k = 0; k < n; k++) {
                int index = (level.cursor + k) % n;
                QueueConsumer consumer = level.members.get(index);
                if (consumer.tryAcquireCredit()) {
                    level.cursor = (index + 1) % n;
                    return consumer;
                }
            }
        }
        return null;
    }

    /**
     * The active consumer if it has credit, after switching to a waiting consumer of a higher priority once the active
     * one holds no unacked entry; null while that switch waits, so that nobody gets messages meanwhile.
     */
    private QueueConsumer nextSingleActive() {
        if (active == null) {
            return null;
        }
        QueueConsumer first = levels.get(0).members.get(0);
        if (first.priority() > active.priority()) {
            if (tenure.unacked > 0) {
                return null;
            }
            activate(first);
        }
        return active.tryAcquireCredit() ? active : null;
    }

    /** Calls {@code action} with every consumer, highest priority first. */
    void forEach(Consumer<QueueConsumer> action) {
        for (int l = 0; l < levels.size(); l++) {
            ArrayList<QueueConsumer> members = levels.get(l).members;
            for (int i = 0; i < members.size(); i++) {
                action.accept(members.get(i));
            }
        }
    }

    /** Empties the ring, returning every consumer (for queue deletion). */
    List<QueueConsumer> removeAll() {
        List<QueueConsumer> all = new ArrayList<>(size);
        for (int i = 0; i < levels.size(); i++) {
            all.addAll(levels.get(i).members);
        }
        levels.clear();
        size = 0;
        exclusive = null;
        activate(null);
        return all;
    }
}
