package io.warren.store.log;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a log directory and finds where the log really ends. Runs on the opening
 * thread, before the writer starts.
 *
 * <p>Crash policy. Only the last segment can have a torn tail (the writer appends to it alone, and
 * forces a segment before it writes the next): trailing bytes without an intact record are cut off the
 * file, at WARN unless they are just zeros (preallocation, or blocks the file system allocated but never
 * wrote). They can only be the unfinished last batch, which was never reported durable. Damage followed
 * by intact records is skipped, not cut, and logged at WARN. In an earlier segment, bytes past its last
 * intact record and any gap before the next segment's base are skipped the same way, never cut: records
 * after them exist. Bytes of an earlier segment past the next segment's base are ignored (later file
 * wins). A missing or unreadable directory is an exception, never an empty log.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    record Outcome(ConcurrentSkipListMap<Long, Segment> segments, RecoveryReport report, EpochHistory epochs) {
    }

    private Recovery() {
    }

    static Outcome run(Path dir, LogConfig config) throws IOException {
        ConcurrentSkipListMap<Long, Segment> segments = list(dir);
        List<RecoveryReport.SkippedRange> skipped = new ArrayList<>();
        long records = 0;
        long truncated = 0;
        EpochHistory epochs = new EpochHistory();
        try {
            if (segments.isEmpty()) {
                segments.put(0L, Segment.create(dir, 0, config.preallocate() ? config.maxSegmentBytes() : 0));
                Directories.sync(dir);
            }
            for (Segment segment : segments.values()) {
                Long nextBase = segments.higherKey(segment.base);
                long fileSize = segment.fileSize();
                long limit = nextBase == null ? fileSize : Math.min(fileSize, nextBase - segment.base);
                if (limit > Integer.MAX_VALUE) {
                    throw new IOException("log segment " + segment + " is larger than any segment Warren writes");
                }
                MappedByteBuffer bytes = segment.map(limit);
                try {
                    SegmentScanner.Result scan = SegmentScanner.scan(bytes, (int) limit, segment.file, epochs, segment.base);
                    records += scan.records();
                    skipped.addAll(scan.skipped());
                    if (nextBase == null) {
                        truncated += cutTail(segment, bytes, scan.tailStart(), fileSize, config);
                        segment.holes(scan.holes());
                    } else {
                        segment.holes(withEarlierTail(segment, scan, limit, nextBase, fileSize, skipped));
                        segment.end(limit);
                    }
                } finally {
                    // Unmap now rather than at some later GC: a long log would otherwise stay mapped (and count
                    // in the process's RSS) all at once.
                    PlatformDependent.freeDirectBuffer(bytes);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Segment s : segments.values()) {
                closeQuietly(s, e);
            }
            throw e;
        }
        RecoveryReport report = new RecoveryReport(segments.size(), records, skipped, truncated);
        LOG.info("Opened log {}: {} segments, {} records, positions {}..{}", dir, segments.size(), records,
            segments.firstKey(), segments.lastKey() + segments.lastEntry().getValue().end());
        return new Outcome(segments, report, epochs);
    }

    static void checkDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "log directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
    }

    private static ConcurrentSkipListMap<Long, Segment> list(Path dir) throws IOException {
        checkDirectory(dir);
        ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                long base = Segment.baseOf(file);
                if (base >= 0 && Files.isRegularFile(file)) {
                    segments.put(base, Segment.existing(file, base));
                }
            }
        }
        return segments;
    }

    /** Cuts the last segment after its last intact record; returns the non-zero bytes cut. */
    private static long cutTail(Segment segment, MappedByteBuffer bytes, int tailStart, long fileSize,
                                LogConfig config) throws IOException {
        segment.end(tailStart);
        if (tailStart == fileSize) {
            return 0;
        }
        boolean zeros = SegmentScanner.allZero(bytes, tailStart, (int) fileSize);
        if (zeros && config.preallocate()) {
            return 0; // the preallocated remainder: appends overwrite it
        }
        if (zeros) {
            LOG.info("Cutting {} zero bytes after offset {} of log segment {}", fileSize - tailStart, tailStart, segment);
        } else {
            LOG.warn("Cutting a torn tail of {} bytes at offset {} of log segment {}: an unfinished write, never confirmed",
                fileSize - tailStart, tailStart, segment);
        }
        try (FileChannel ch = FileChannel.open(segment.file, StandardOpenOption.WRITE)) {
            ch.truncate(tailStart);
            ch.force(true);
        }
        return zeros ? 0 : fileSize - tailStart;
    }

    /** Holes of an earlier segment, plus its damaged tail and any gap before the next base, all skipped. */
    private static long[] withEarlierTail(Segment segment, SegmentScanner.Result scan, long limit, long nextBase,
                                          long fileSize, List<RecoveryReport.SkippedRange> skipped) {
        long[] holes = scan.holes();
        long expected = nextBase - segment.base;
        if (fileSize > expected) {
            LOG.warn("Log segment {} runs {} bytes past the next segment's base {}: ignoring them",
                segment, fileSize - expected, nextBase);
        }
        if (scan.tailStart() < limit) {
            LOG.warn("Skipping {} damaged bytes at offset {} of log segment {}: later segments are intact",
                limit - scan.tailStart(), scan.tailStart(), segment);
            skipped.add(new RecoveryReport.SkippedRange(segment.file, scan.tailStart(), limit - scan.tailStart()));
            holes = append(holes, scan.tailStart(), limit);
        }
        if (limit < expected) {
            LOG.warn("Log segment {} ends at offset {} but the next segment starts at {}: skipping the gap",
                segment, limit, nextBase);
            skipped.add(new RecoveryReport.SkippedRange(segment.file, limit, expected - limit));
        }
        return holes;
    }

    private static long[] append(long[] pairs, long start, long end) {
        long[] out = java.util.Arrays.copyOf(pairs, pairs.length + 2);
        out[pairs.length] = start;
        out[pairs.length + 1] = end;
        return out;
    }

    private static void closeQuietly(Segment segment, Exception failure) {
        try {
            segment.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
