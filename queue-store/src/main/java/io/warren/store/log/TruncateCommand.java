package io.warren.store.log;

import java.util.concurrent.CompletableFuture;

/** Cut the log at {@code position}; {@code done} completes on the writer thread once the cut is on disk. */
record TruncateCommand(long position, CompletableFuture<Void> done) implements WriteItem {
}
