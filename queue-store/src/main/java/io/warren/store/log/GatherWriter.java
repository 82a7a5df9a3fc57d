package io.warren.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns records into as few write syscalls as possible, copying each payload at most once. Headers and
 * small payloads are copied into a direct arena, so that runs of small records become one contiguous
 * buffer; a large payload is not copied at all but handed to the kernel as its own vector of a
 * gathering write. Confined to the writer thread.
 */
final class GatherWriter {

    static final int ARENA_BYTES = 256 * 1024;
    /** Below this, copying is cheaper than an extra iovec (and than the JDK's copy of a heap buffer). */
    static final int INLINE_MAX = 4096;
    private static final ByteBuffer[] NO_VECTORS = {};

    private final ByteBuffer arena = ByteBuffer.allocateDirect(ARENA_BYTES);
    private final List<ByteBuffer> vectors = new ArrayList<>();
    /** Records whose payload is among the vectors: released once written. */
    private final List<PendingRecord> held = new ArrayList<>();
    private int runStart;
    private long queued;

    /** Bytes added since the last flush. */
    long queued() {
        return queued;
    }

    /** False when the arena lacks room for the record: flush first. */
    boolean fits(PendingRecord record) {
        int inline = record.length <= INLINE_MAX ? record.length : 0;
        return arena.remaining() >= RecordFormat.HEADER_BYTES + inline;
    }

    /** Queues a record, which must {@link #fits fit}. */
    void add(PendingRecord record) {
        RecordFormat.putHeader(arena, record.type, record.flags, record.length, record.epoch, record.crc);
        if (record.length <= INLINE_MAX) {
            record.copyPayloadTo(arena);
            record.release();
        } else {
            closeRun();
            record.addVectors(vectors);
            held.add(record);
        }
        queued += record.size();
    }

    /** Writes everything queued to {@code ch} at its position; returns the bytes written. */
    long flush(FileChannel ch) throws IOException {
        closeRun();
        ByteBuffer[] v = vectors.toArray(NO_VECTORS);
        int first = 0;
        while (first < v.length) {
            ch.write(v, first, v.length - first); // may be partial: at most IOV_MAX vectors per call
            while (first < v.length && !v[first].hasRemaining()) {
                first++;
            }
        }
        long written = queued;
        reset();
        return written;
    }

    /** Drops everything queued (after a failure): payloads are released, nothing is written. */
    void discard() {
        reset();
    }

    private void reset() {
        for (PendingRecord r : held) {
            r.release();
        }
        held.clear();
        vectors.clear();
        arena.clear();
        runStart = 0;
        queued = 0;
    }

    /** Ends the current run of arena bytes as one vector, so that a payload vector can follow it in order. */
    private void closeRun() {
        int end = arena.position();
        if (end > runStart) {
            vectors.add(arena.slice(runStart, end - runStart));
            runStart = end;
        }
    }
}
