package io.warren.mirror;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where the primary commits changes of the in-sync set: the control plane, agreed by a majority, so that
 * a primary cut off from the others can never drop its backup and go on confirming alone. Implementations
 * are thread-safe.
 */
public interface Membership {

    /**
     * Makes {@code nodes} (which includes this primary) the in-sync set of {@code epoch}; completes once
     * committed, exceptionally when it could not be (no majority, or the epoch is no longer current).
     */
    CompletableFuture<Void> commitInSync(int epoch, Set<String> nodes);
}
