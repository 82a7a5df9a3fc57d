package io.warren.store.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the intact records of one segment's bytes. A record that fails its checks is either damage in
 * the middle, when an intact record (magic, sane length, matching CRC) follows it somewhere in the
 * segment, or a torn tail, when none does. Middle damage is skipped and logged at WARN with the file and
 * offset, because the records after it were written and may have been confirmed; a torn tail is left to
 * the caller, because it can only hold the unfinished last batch, which was never reported durable.
 * Used by recovery only, on the opening thread.
 */
final class SegmentScanner {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentScanner.class);
    private static final byte MAGIC_HIGH = (byte) (RecordFormat.MAGIC >>> 8);

    /**
     * @param tailStart where the trailing bytes with no intact record begin ({@code limit} if none)
     * @param holes     [start, end) pairs of skipped middle damage
     */
    record Result(int tailStart, long records, long[] holes, List<RecoveryReport.SkippedRange> skipped) {
    }

    private SegmentScanner() {
    }

    static Result scan(ByteBuffer buf, int limit, Path file) {
        return scan(buf, limit, file, new EpochHistory(), 0);
    }

    /** As {@link #scan(ByteBuffer, int, Path)}, noting each intact record's epoch at {@code base + offset}. */
    static Result scan(ByteBuffer buf, int limit, Path file, EpochHistory epochs, long base) {
        List<Long> holes = new ArrayList<>();
        List<RecoveryReport.SkippedRange> skipped = new ArrayList<>();
        long records = 0;
        int off = 0;
        while (off < limit) {
            int size = RecordFormat.recordSizeAt(buf, off, limit);
            if (size > 0) {
                epochs.appended(RecordFormat.epochAt(buf, off), base + off);
                off += size;
                records++;
                continue;
            }
            int next = nextIntactRecord(buf, off + 1, limit);
            if (next < 0) {
                break;
            }
            LOG.warn("Skipping {} damaged bytes at offset {} of log segment {}: the records after them are intact",
                next - off, off, file);
            holes.add((long) off);
            holes.add((long) next);
            skipped.add(new RecoveryReport.SkippedRange(file, off, next - off));
            off = next;
        }
        long[] pairs = holes.stream().mapToLong(Long::longValue).toArray();
        return new Result(off, records, pairs, skipped);
    }

    /** Resynchronises byte by byte: the first offset at or after {@code from} holding an intact record. */
    static int nextIntactRecord(ByteBuffer buf, int from, int limit) {
        int last = limit - RecordFormat.HEADER_BYTES;
        for (int i = from; i <= last; i++) {
            if (buf.get(i) == MAGIC_HIGH && RecordFormat.plausibleHeaderAt(buf, i)
                && RecordFormat.recordSizeAt(buf, i, limit) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** True when [from, to) holds only zeros: what an unwritten (preallocated or hole-filled) tail reads as. */
    static boolean allZero(ByteBuffer buf, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (buf.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
