package io.warren.store;

/**
 * The answer to basic.get. Immutable; any thread.
 *
 * @param entry the message taken, or null for basic.get-empty
 * @param messageCount ready messages left in the queue after this get (basic.get-ok message-count)
 */
public record GetResult(QueueEntry entry, int messageCount) {

    public static final GetResult EMPTY = new GetResult(null, 0);

    public GetResult {
        if (messageCount < 0) {
            throw new IllegalArgumentException("messageCount must not be negative: " + messageCount);
        }
    }

    public boolean isEmpty() {
        return entry == null;
    }
}
