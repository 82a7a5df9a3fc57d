package io.warren.store;

/**
 * Where a backlogged queue pages out the messages its {@link QueueJournal} cannot (transient messages, and
 * everything of a non-durable queue): a scratch log that never survives a restart. A message routed to several
 * queues is written once: each queue that pages it out holds the same record until it reads it back or discards
 * it. Thread-safe: called from the queues' executors.
 */
public interface MessageSpill {

    /**
     * Writes a copy of {@code message} out (the caller keeps its reference) and returns where it is; if another queue
     * already wrote this same message and still holds the copy, the caller shares that one instead.
     */
    long write(Message message);

    /**
     * Reads the message written at {@code position} back and lets the record go; the reference is the
     * caller's. Blocking file I/O, on the queue's executor (a pool thread, never an event loop).
     */
    Message read(long position);

    /** The message written at {@code position} will never be read (purge, delete): its space may go. */
    void discard(long position);

    /** Whether memory is scarce enough that backlogged queues should spill now rather than keep messages. */
    default boolean advised() {
        return true;
    }
}
