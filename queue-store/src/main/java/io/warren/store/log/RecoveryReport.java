package io.warren.store.log;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening the log found on disk. Immutable: any thread.
 *
 * @param segments       segment files opened
 * @param records        intact records found
 * @param skipped        damaged ranges kept in place but skipped by readers (each logged at WARN)
 * @param truncatedBytes bytes of a torn tail cut off the last segment (zeros of preallocation excluded)
 */
public record RecoveryReport(int segments, long records, List<SkippedRange> skipped, long truncatedBytes) {

    public RecoveryReport {
        skipped = List.copyOf(skipped);
    }

    /** A damaged range: {@code length} bytes at {@code fileOffset} of {@code file}. */
    public record SkippedRange(Path file, long fileOffset, long length) {
    }
}
