package io.warren.store;

/**
 * The lanes of a queue, one per priority level {@code 0..x-max-priority} (just one without priorities), created when
 * first used so that a 255-level queue with a few levels in use costs little more than a plain one. Delivery takes the
 * highest non-empty lane first; a message's priority above the maximum counts as the maximum. Confined to the queue's
 * executor.
 */
final class PriorityLanes {

    private final Lane[] lanes;
    private final int maxPriority;
    /** No lane above this one holds a message: scans start here instead of at the top. */
    private int top;

    PriorityLanes(int maxPriority) {
        this.maxPriority = maxPriority;
        this.lanes = new Lane[maxPriority + 1];
        lanes[0] = new Lane();
    }

    /** The lane index of a message of {@code priority}. */
    int indexOf(int priority) {
        return priority >= maxPriority ? maxPriority : priority;
    }

    /** The lane for messages of {@code priority}, created if needed. */
    Lane laneFor(int priority) {
        int i = indexOf(priority);
        Lane lane = lanes[i];
        if (lane == null) {
            lane = new Lane();
            lanes[i] = lane;
        }
        if (i > top) {
            top = i;
        }
        return lane;
    }

    /** The lane at {@code index}, or null if never used. */
    Lane at(int index) {
        return lanes[index];
    }

    int levels() {
        return lanes.length;
    }

    /** The highest non-empty lane, or null when every lane is empty. */
    Lane highest() {
        for (int i = top; i >= 0; i--) {
            Lane lane = lanes[i];
            if (lane != null && !lane.isEmpty()) {
                top = i;
                return lane;
            }
        }
        top = 0;
        return null;
    }

    /** Index of the highest lane that may hold messages: iterate from here down. */
    int top() {
        return top;
    }
}
