package io.warren.store.log;

import static io.warren.store.log.LogFiles.Expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

    private static final LogConfig CONFIG = LogFiles.smallSegments(1024);

    @TempDir
    Path dir;

    @Test
    void segmentsRollOverAtRecordBoundariesAndAreNamedByBase() throws Exception {
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> all = LogFiles.appendRandom(log, new Random(31), 200, 150);
            List<Long> bases = log.segmentBases();
            assertThat(bases).hasSizeGreaterThan(10).startsWith(0L);
            List<Long> starts = all.stream().map(Expected::position).toList();
            assertThat(starts).containsAll(bases); // every segment starts with a record
            List<Path> files = LogFiles.segmentFiles(dir);
            for (int i = 0; i < files.size(); i++) {
                assertThat(files.get(i).getFileName().toString()).isEqualTo(String.format("%020d.log", bases.get(i)));
                assertThat(Files.size(files.get(i))).isLessThanOrEqualTo(1024);
                if (i + 1 < files.size()) {
                    assertThat(Files.size(files.get(i))).isEqualTo(bases.get(i + 1) - bases.get(i));
                }
            }
            // A record larger than a segment gets one of its own.
            long big = log.append(1, 1, Unpooled.wrappedBuffer(new byte[5000]));
            long after = log.append(1, 1, Unpooled.wrappedBuffer(new byte[10]));
            log.syncedTo(after).get(10, TimeUnit.SECONDS);
            assertThat(log.segmentBases()).contains(big, after);
            assertThat(Files.size(dir.resolve(Segment.fileName(big)))).isEqualTo(5000 + RecordFormat.HEADER_BYTES);
        }
    }

    @Test
    void deletesOnlyWholeSegmentsBelowThePosition() throws Exception {
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> all = LogFiles.appendRandom(log, new Random(32), 200, 150);
            List<Long> bases = log.segmentBases();
            long live = bases.get(5) + 1; // inside the sixth segment: it must stay
            assertThat(log.deleteSegmentsBefore(live).get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(log.startPosition()).isEqualTo(bases.get(5));
            assertThat(LogFiles.segmentFiles(dir)).hasSize(bases.size() - 5);
            assertThatThrownBy(() -> log.read(0)).isInstanceOf(IllegalArgumentException.class);
            List<Expected> remaining = all.stream().filter(e -> e.position() >= bases.get(5)).toList();
            LogFiles.assertSameRecords(LogFiles.readAll(log), remaining);

            // Never the last segment, even when everything is dead.
            log.deleteSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
            assertThat(log.segmentBases()).containsExactly(bases.get(bases.size() - 1));
        }
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            assertThat(log.startPosition()).isPositive();
            assertThat(log.recovery().skipped()).isEmpty();
        }
    }

    @Test
    void aHoldOrAnOpenReaderKeepsItsSegments() throws Exception {
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.appendRandom(log, new Random(33), 200, 150);
            List<Long> bases = log.segmentBases();
            RetentionHold backup = log.hold(bases.get(3));
            assertThat(log.deleteSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS)).isEqualTo(3);

            LogReader reader = log.reader(bases.get(3));
            backup.close();
            assertThat(log.deleteSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < 20; i++) {
                reader.next().release();
            }
            long readerAt = reader.position();
            log.deleteSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
            assertThat(log.startPosition()).isLessThanOrEqualTo(readerAt);
            LogRecord next = reader.next();
            assertThat(next.position()).isEqualTo(readerAt);
            next.release();

            reader.close();
            log.deleteSegmentsBefore(Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
            assertThat(log.segmentBases()).hasSize(1);
        }
    }
}
