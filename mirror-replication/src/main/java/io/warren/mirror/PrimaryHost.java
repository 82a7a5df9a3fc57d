package io.warren.mirror;

import io.warren.store.durable.MessageStore;
import java.util.function.Consumer;

/**
 * The broker as a pair node drives it: started when this node becomes primary, stopped when it steps
 * down. Implemented by the server; called on the role thread only.
 */
public interface PrimaryHost {

    /**
     * Opens the store in the data directory and calls {@code afterOpen} with it before anything is appended (to
     * begin the epoch: every record the broker writes from then on, its recovery's included, belongs to the new
     * epoch), recovers the broker's state, calls {@code beforeListening} (to start replication), then binds the
     * AMQP listener. Throws when the broker cannot start.
     */
    void start(Consumer<MessageStore> afterOpen, Consumer<MessageStore> beforeListening);

    /** Closes every client connection with 320 CONNECTION_FORCED ({@code reason} as the text), then the broker and its store. */
    void stop(String reason);
}
