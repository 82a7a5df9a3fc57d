package io.warren.store.log;

import static io.warren.store.log.LogFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {

    @TempDir
    Path dir;

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void appendSyncAndReadBack() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            long first = log.append(1, 7, ascii("hello"));
            long second = log.append(2, 3, 8, ascii("world!"));
            assertThat(first).isZero();
            assertThat(second).isEqualTo(RecordFormat.HEADER_BYTES + 5);
            assertThat(log.endPosition()).isEqualTo(second + RecordFormat.HEADER_BYTES + 6);

            log.syncedTo(second).get();
            assertThat(log.durablePosition()).isEqualTo(log.endPosition());

            LogRecord r = log.read(second);
            assertThat(r.type()).isEqualTo(2);
            assertThat(r.flags()).isEqualTo(3);
            assertThat(r.epoch()).isEqualTo(8);
            assertThat(r.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("world!");
            assertThat(r.nextPosition()).isEqualTo(log.endPosition());
            r.release();
        }
    }

    @Test
    void payloadPartsOfEveryKindAreConcatenated() throws Exception {
        ByteBuf heap = ascii("head-");
        ByteBuf direct = Unpooled.directBuffer().writeBytes("direct-".getBytes(StandardCharsets.US_ASCII));
        CompositeByteBuf composite = Unpooled.compositeBuffer().addComponents(true, ascii("comp"), ascii("osite"));
        byte[] big = LogFiles.randomBytes(new Random(1), 100_000); // past the inline limit: gathered, not copied
        ByteBuf large = Unpooled.directBuffer(big.length).writeBytes(big);
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            long p = log.append(9, -1, heap, direct, composite, large);
            log.syncedTo(p).get();
            LogRecord r = log.read(p);
            byte[] expected = new byte[16 + big.length];
            System.arraycopy("head-direct-composite".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 21);
            byte[] got = bytes(r.payload());
            assertThat(new String(got, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("head-direct-composite");
            assertThat(java.util.Arrays.copyOfRange(got, 21, got.length)).isEqualTo(big);
            assertThat(r.epoch()).isEqualTo(-1); // 0xFFFFFFFF, unsigned
            r.release();
        }
        // The log released its own slices: the caller's references are untouched.
        for (ByteBuf b : List.of(heap, direct, composite, large)) {
            assertThat(b.refCnt()).isEqualTo(1);
            assertThat(b.readerIndex()).isZero();
            b.release();
        }
    }

    @Test
    void emptyPayloadAndInvalidFields() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            long p = log.append(255, 0);
            log.syncedTo(p).get();
            LogRecord r = log.read(p);
            assertThat(r.payload().readableBytes()).isZero();
            assertThat(r.size()).isEqualTo(RecordFormat.HEADER_BYTES);
            r.release();
            assertThatThrownBy(() -> log.append(0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(256, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(1, 256, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.endPosition()).isEqualTo(RecordFormat.HEADER_BYTES);
        }
    }

    @Test
    void readRejectsPositionsWithoutRecords() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            long p = log.append(1, 1, ascii("some payload"));
            log.syncedTo(p).get();
            assertThatThrownBy(() -> log.read(log.endPosition())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.read(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.read(p + 3)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("position 3");
            assertThatThrownBy(() -> log.durable(log.endPosition(), null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readerFollowsTheLogAsItGrows() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(1024))) {
            List<LogFiles.Expected> first = LogFiles.appendRandom(log, new Random(2), 40, 200);
            try (LogReader reader = log.reader(0)) {
                for (LogFiles.Expected e : first) {
                    LogRecord r = reader.next();
                    assertThat(r.position()).isEqualTo(e.position());
                    assertThat(bytes(r.payload())).isEqualTo(e.payload());
                    r.release();
                }
                assertThat(reader.next()).isNull();
                List<LogFiles.Expected> more = LogFiles.appendRandom(log, new Random(3), 5, 200);
                LogRecord r = reader.next();
                assertThat(r.position()).isEqualTo(more.get(0).position());
                r.release();
                assertThat(reader.position()).isEqualTo(more.get(1).position());
            }
        }
    }

    @Test
    void aBatchLargerThanTheWriteBufferIsReadableAtOnce() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            // ~1 MB appended without waiting: the writer's batches overflow its 256 KiB arena.
            List<LogFiles.Expected> all = LogFiles.appendRandom(log, new Random(6), 1000, 2000);
            assertThat(log.writtenPosition()).isEqualTo(log.endPosition());
            LogFiles.assertSameRecords(LogFiles.readAll(log), all);
            LogFiles.Expected last = all.get(all.size() - 1);
            assertThat(LogFiles.payloadAt(log, last.position())).isEqualTo(last.payload());
        }
    }

    @Test
    void restartRecoversEverySyncedRecordAndAppendsAfterThem() throws Exception {
        List<LogFiles.Expected> written;
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(4096))) {
            written = new java.util.ArrayList<>(LogFiles.appendRandom(log, new Random(4), 300, 300));
        }
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(4096))) {
            assertThat(log.recovery().skipped()).isEmpty();
            assertThat(log.recovery().records()).isEqualTo(written.size());
            assertThat(log.endPosition()).isEqualTo(written.get(written.size() - 1).end());
            assertThat(log.durablePosition()).isEqualTo(log.endPosition());
            LogFiles.assertSameRecords(LogFiles.readAll(log), written);
            written.addAll(LogFiles.appendRandom(log, new Random(5), 10, 300));
        }
        try (DurableLog log = DurableLog.open(dir, LogFiles.smallSegments(4096))) {
            LogFiles.assertSameRecords(LogFiles.readAll(log), written);
        }
    }

    @Test
    void closeWritesAndSyncsWhatWasAppended() throws Exception {
        CompletableFuture<Void> synced;
        DurableLog log = DurableLog.open(dir, LogConfig.defaults());
        long p = log.append(1, 1, ascii("last words"));
        synced = log.syncedTo(p);
        log.close();
        assertThat(synced).isCompleted().isNotCompletedExceptionally();
        assertThatThrownBy(() -> log.append(1, 1, ascii("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(log.syncedTo(p)).isCompleted(); // already durable: answered at once after close
        try (DurableLog reopened = DurableLog.open(dir, LogConfig.defaults())) {
            assertThat(LogFiles.payloadAt(reopened, p)).isEqualTo("last words".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aMissingOrWrongDirectoryIsAnErrorNotAnEmptyLog() throws Exception {
        assertThatThrownBy(() -> DurableLog.open(dir.resolve("missing"), LogConfig.defaults()))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> DurableLog.open(file, LogConfig.defaults())).isInstanceOf(NotDirectoryException.class);
        assertThat(Files.exists(dir.resolve("missing"))).isFalse();
    }

    @Test
    void aDirectoryCanBeOpenedByOneLogAtATime() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            assertThatThrownBy(() -> DurableLog.open(dir, LogConfig.defaults()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("already open");
        }
        DurableLog.open(dir, LogConfig.defaults()).close();
    }

    @Test
    void headerBytesAreLaidOutAsDocumented() throws Exception {
        try (DurableLog log = DurableLog.open(dir, LogConfig.defaults())) {
            log.syncedTo(log.append(7, 3, 0x01020304, ascii("hi"))).get();
        }
        byte[] file = Files.readAllBytes(LogFiles.segmentFiles(dir).get(0));
        assertThat(LogFiles.segmentFiles(dir).get(0).getFileName().toString()).isEqualTo("00000000000000000000.log");
        assertThat(file).hasSize(18);
        assertThat(java.util.Arrays.copyOf(file, 12)).containsExactly(
            0x57, 0x52, 7, 3, 0, 0, 0, 2, 1, 2, 3, 4);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, 0, 12);
        crc.update(file, 16, 2);
        assertThat(java.nio.ByteBuffer.wrap(file, 12, 4).getInt()).isEqualTo((int) crc.getValue());
        assertThat(new String(file, 16, 2, StandardCharsets.US_ASCII)).isEqualTo("hi");
    }
}
