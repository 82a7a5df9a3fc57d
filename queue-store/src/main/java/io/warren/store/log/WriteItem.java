package io.warren.store.log;

/**
 * What appenders hand the writer thread, in order: records to write, and the operations that change
 * which files exist. Funnelling both through one queue makes the writer the only thread that ever
 * mutates a segment file, so truncation and deletion cannot race a write or an fsync.
 */
sealed interface WriteItem permits PendingRecord, TruncateCommand, RetentionCommand {
}
