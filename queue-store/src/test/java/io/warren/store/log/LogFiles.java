package io.warren.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shared helpers for the log tests: payloads, expected records, file surgery. */
final class LogFiles {

    private LogFiles() {
    }

    /** A record as the test expects to read it back. */
    record Expected(long position, int type, int epoch, byte[] payload) {
        long end() {
            return position + RecordFormat.HEADER_BYTES + payload.length;
        }
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Appends {@code count} records of random sizes up to {@code maxPayload}, then waits until durable. */
    static List<Expected> appendRandom(DurableLog log, Random random, int count, int maxPayload) {
        List<Expected> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = randomBytes(random, random.nextInt(maxPayload + 1));
            int type = 1 + random.nextInt(255);
            int epoch = random.nextInt();
            long position = log.append(type, epoch, Unpooled.wrappedBuffer(payload));
            out.add(new Expected(position, type, epoch, payload));
        }
        if (!out.isEmpty()) {
            log.syncedTo(out.get(out.size() - 1).position()).join();
        }
        return out;
    }

    /** Every record a fresh reader finds from the start, released after copying. */
    static List<Expected> readAll(DurableLog log) throws IOException {
        List<Expected> out = new ArrayList<>();
        try (LogReader reader = log.reader(log.startPosition())) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                out.add(new Expected(r.position(), r.type(), r.epoch(), ByteBufUtil.getBytes(r.payload())));
                r.release();
            }
        }
        return out;
    }

    static void assertSameRecords(List<Expected> actual, List<Expected> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Expected a = actual.get(i);
            Expected e = expected.get(i);
            assertThat(a.position()).as("position of record %d", i).isEqualTo(e.position());
            assertThat(a.type()).as("type of record %d", i).isEqualTo(e.type());
            assertThat(a.epoch()).as("epoch of record %d", i).isEqualTo(e.epoch());
            assertThat(a.payload()).as("payload of record %d", i).isEqualTo(e.payload());
        }
    }

    static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** The payload of the record at {@code position}, copied out; the record is released. */
    static byte[] payloadAt(DurableLog log, long position) throws IOException {
        LogRecord r = log.read(position);
        try {
            return ByteBufUtil.getBytes(r.payload());
        } finally {
            r.release();
        }
    }

    static List<Path> segmentFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Segment.baseOf(f) >= 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the segment files of {@code from} into a new directory {@code to}. */
    static Path copyLog(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path f : segmentFiles(from)) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    /** The segment file that holds {@code position}. */
    static Path fileHolding(Path dir, long position) {
        Path holder = null;
        for (Path f : segmentFiles(dir)) {
            if (Segment.baseOf(f) <= position) {
                holder = f;
            }
        }
        return holder;
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        all[(int) offset] ^= 0x5A;
        Files.write(file, all);
    }

    static LogConfig smallSegments(int bytes) {
        return LogConfig.defaults().withMaxSegmentBytes(bytes).withWriterThreadName("test-log-writer");
    }
}
