package io.warren.mirror;

import io.warren.store.durable.MessageStore;
import java.util.function.Consumer;

/**
 * The broker as a pair node drives it: started when this node becomes primary, stopped when it steps
 * down. Implemented by the server; called on the role thread only.
 */
public interface PrimaryHost {

    /**
     * Opens the store in the data directory and recovers the broker's state from it, calls
     * {@code beforeListening} with the store (to begin the epoch and start replication), then binds the AMQP
     * listener. Throws when the broker cannot start.
     */
    void start(Consumer<MessageStore> beforeListening);

    /** Closes every client connection with 320 CONNECTION_FORCED ({@code reason} as the text), then the broker and its store. */
    void stop(String reason);
}
