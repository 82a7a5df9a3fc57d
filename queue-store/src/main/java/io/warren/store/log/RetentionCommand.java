package io.warren.store.log;

import java.util.concurrent.CompletableFuture;

/** Delete the segments wholly below {@code position}; {@code done} gets how many went. */
record RetentionCommand(long position, CompletableFuture<Integer> done) implements WriteItem {
}
