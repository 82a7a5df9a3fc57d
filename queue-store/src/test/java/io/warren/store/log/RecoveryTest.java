package io.warren.store.log;

import static io.warren.store.log.LogFiles.Expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    private static final LogConfig CONFIG = LogFiles.smallSegments(1024);

    @TempDir
    Path dir;

    private List<Expected> writeLog(Path into, long seed, int records) throws IOException {
        Files.createDirectories(into);
        try (DurableLog log = DurableLog.open(into, CONFIG)) {
            return LogFiles.appendRandom(log, new Random(seed), records, 120);
        }
    }

    private static void cut(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void cuttingTheLastSegmentAnywhereRecoversExactlyTheIntactPrefix() throws Exception {
        Path pristine = dir.resolve("pristine");
        List<Expected> all = writeLog(pristine, 11, 60);
        Path last = LogFiles.segmentFiles(pristine).get(LogFiles.segmentFiles(pristine).size() - 1);
        long base = Segment.baseOf(last);
        long size = Files.size(last);
        assertThat(LogFiles.segmentFiles(pristine)).hasSizeGreaterThan(2);

        for (long at = 0; at <= size; at++) {
            Path copy = LogFiles.copyLog(pristine, dir.resolve("cut-" + at));
            cut(copy.resolve(last.getFileName()), at);
            long end = base + at;
            List<Expected> intact = all.stream().filter(e -> e.end() <= end).toList();
            long intactEnd = intact.isEmpty() ? 0 : intact.get(intact.size() - 1).end();
            try (DurableLog log = DurableLog.open(copy, CONFIG)) {
                LogFiles.assertSameRecords(LogFiles.readAll(log), intact);
                assertThat(log.endPosition()).as("end after cutting at %d", at).isEqualTo(Math.max(intactEnd, base));
                assertThat(log.recovery().skipped()).isEmpty();
                assertThat(log.recovery().truncatedBytes()).isEqualTo(end - Math.max(intactEnd, base));
                // The log goes on from there, and the torn bytes are gone for good.
                List<Expected> more = LogFiles.appendRandom(log, new Random(at), 2, 50);
                assertThat(more.get(0).position()).isEqualTo(Math.max(intactEnd, base));
            }
            try (DurableLog log = DurableLog.open(copy, CONFIG)) {
                assertThat(LogFiles.readAll(log)).hasSize(intact.size() + 2);
                assertThat(log.recovery().truncatedBytes()).isZero();
            }
        }
    }

    @Test
    void garbageOrZerosAfterTheLastRecordAreCutOff() throws Exception {
        List<Expected> all = writeLog(dir, 12, 30);
        Path last = LogFiles.segmentFiles(dir).get(LogFiles.segmentFiles(dir).size() - 1);
        Files.write(last, new byte[4096], StandardOpenOption.APPEND);
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
            assertThat(log.recovery().truncatedBytes()).isZero(); // zeros: an unwritten tail, not damage
        }
        byte[] garbage = LogFiles.randomBytes(new Random(13), 700);
        garbage[0] = 0x57; // starts like a record header, then fails its CRC
        garbage[1] = 0x52;
        Files.write(last, garbage, StandardOpenOption.APPEND);
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
            assertThat(log.recovery().truncatedBytes()).isEqualTo(700);
            assertThat(log.endPosition()).isEqualTo(all.get(all.size() - 1).end());
        }
    }

    @Test
    void aFlippedByteInTheMiddleLosesOnlyItsRecord() throws Exception {
        Path pristine = dir.resolve("pristine");
        List<Expected> all = writeLog(pristine, 14, 80);
        Random random = new Random(15);
        for (int trial = 0; trial < 60; trial++) {
            Expected victim = all.get(random.nextInt(all.size() - 1)); // not the very last: that is a torn tail
            int within = random.nextInt((int) (victim.end() - victim.position()));
            Path copy = LogFiles.copyLog(pristine, dir.resolve("flip-" + trial));
            Path file = LogFiles.fileHolding(copy, victim.position());
            long offset = victim.position() - Segment.baseOf(file);
            LogFiles.flipByte(file, offset + within);

            List<Expected> survivors = new ArrayList<>(all);
            survivors.remove(victim);
            try (DurableLog log = DurableLog.open(copy, CONFIG)) {
                LogFiles.assertSameRecords(LogFiles.readAll(log), survivors);
                assertThat(log.recovery().skipped()).singleElement().satisfies(range -> {
                    assertThat(range.file()).isEqualTo(file);
                    assertThat(range.fileOffset()).isEqualTo(offset);
                });
                assertThat(log.endPosition()).isEqualTo(all.get(all.size() - 1).end());
                assertThatThrownBy(() -> log.read(victim.position())).isInstanceOf(CorruptRecordException.class);
                Expected after = all.get(all.indexOf(victim) + 1);
                assertThat(LogFiles.payloadAt(log, after.position())).isEqualTo(after.payload());
            }
        }
    }

    @Test
    void aDamagedRunOfSeveralRecordsIsSkippedAndTheRestKept() throws Exception {
        List<Expected> all = writeLog(dir, 16, 40);
        Path first = LogFiles.segmentFiles(dir).get(0);
        long firstSize = Files.size(first);
        List<Expected> inFirst = all.stream().filter(e -> e.end() <= firstSize).toList();
        assertThat(inFirst.size()).isGreaterThan(4);
        Expected from = inFirst.get(1);
        Expected to = inFirst.get(3);
        byte[] bytes = Files.readAllBytes(first);
        for (long i = from.position() + 5; i < to.position() + 3; i++) {
            bytes[(int) i] = 0;
        }
        Files.write(first, bytes);
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> survivors = new ArrayList<>(all);
            survivors.removeAll(List.of(from, inFirst.get(2), to));
            LogFiles.assertSameRecords(LogFiles.readAll(log), survivors);
            assertThat(log.recovery().skipped()).singleElement()
                .satisfies(r -> assertThat(r.fileOffset()).isEqualTo(from.position()));
        }
    }

    @Test
    void aDamagedTailOfAnEarlierSegmentIsSkippedNotCut() throws Exception {
        List<Expected> all = writeLog(dir, 17, 40);
        Path first = LogFiles.segmentFiles(dir).get(0);
        long firstSize = Files.size(first);
        Expected lastInFirst = all.stream().filter(e -> e.end() == firstSize).findFirst().orElseThrow();
        LogFiles.flipByte(first, lastInFirst.position() + 13);
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            List<Expected> survivors = new ArrayList<>(all);
            survivors.remove(lastInFirst);
            LogFiles.assertSameRecords(LogFiles.readAll(log), survivors);
            assertThat(log.recovery().skipped()).hasSize(1);
        }
        assertThat(Files.size(first)).isEqualTo(firstSize);
    }

    @Test
    void preallocatedSegmentsRecoverAndAreTrimmedWhenFull() throws Exception {
        LogConfig config = CONFIG.withPreallocate(true).withMaxSegmentBytes(4096);
        List<Expected> all;
        try (DurableLog log = DurableLog.open(dir, config)) {
            all = new ArrayList<>(LogFiles.appendRandom(log, new Random(18), 10, 100));
            assertThat(Files.size(LogFiles.segmentFiles(dir).get(0))).isEqualTo(4096);
        }
        try (DurableLog log = DurableLog.open(dir, config)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
            assertThat(log.recovery().truncatedBytes()).isZero();
            all.addAll(LogFiles.appendRandom(log, new Random(19), 250, 100));
        }
        List<Path> files = LogFiles.segmentFiles(dir);
        assertThat(files).hasSizeGreaterThan(2);
        for (int i = 0; i + 1 < files.size(); i++) {
            assertThat(Files.size(files.get(i))).isEqualTo(Segment.baseOf(files.get(i + 1)) - Segment.baseOf(files.get(i)));
        }
        assertThat(Files.size(files.get(files.size() - 1))).isEqualTo(4096);
        try (DurableLog log = DurableLog.open(dir, config)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
        }
    }

    @Test
    void filesThatAreNotSegmentsAreLeftAlone() throws Exception {
        List<Expected> all = writeLog(dir, 20, 5);
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.writeString(dir.resolve("123.log"), "not a 20-digit name");
        try (DurableLog log = DurableLog.open(dir, CONFIG)) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
        }
        assertThat(dir.resolve("notes.txt")).hasContent("hello");
    }
}
