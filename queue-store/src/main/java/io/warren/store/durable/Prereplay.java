package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogReader;
import io.warren.store.log.LogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The first part of a {@link MessageStore#recover}, done ahead of time on a log that another owner still has open:
 * the records from the log's start to a position are read once, their publishes, acks and deliveries applied to a
 * {@link RecoveredMessages}, their definition records kept (copied) for the server to replay in order later. A backup
 * runs it while it waits to take over, so that the promotion's recovery reads only what came after it (see
 * {@link MessageStore#adopt}). The records are the log's own, so what recovery makes of them is the same as reading
 * them all at once: a definition's effect on the messages (a queue deleted, a snapshot dropping queues) is applied
 * to the messages published before it, where it stood in the log. Built and used by one thread at a time.
 */
public final class Prereplay implements AutoCloseable {
    /** A definition record (or snapshot) met on the way, its payload copied. */
    record Definition(long position, int type, ByteBuf payload) {}

    final DurableLog log;
    final long start;
    /** The position after the last record read: recovery goes on from here. */
    final long end;
    final long truncations;
    final RecoveredMessages messages;
    final List<Definition> definitions;
    final long records;
    final long skipped;
    final long nanos;

    private Prereplay(DurableLog log, long start, long end, long truncations, RecoveredMessages messages,
                      List<Definition> definitions, long records, long skipped, long nanos) {
        this.log = log;
        this.start = start;
        this.end = end;
        this.truncations = truncations;
        this.messages = messages;
        this.definitions = definitions;
        this.records = records;
        this.skipped = skipped;
        this.nanos = nanos;
    }

    /**
     * Reads {@code log} from its start up to the last whole record below {@code limit} (a position everything below
     * which is written, such as the durable position). Returns null when {@code cancelled} says so on the way.
     *
     * @throws IOException when the log cannot be read (it was closed or cut meanwhile)
     */
    public static Prereplay read(DurableLog log, long limit, BooleanSupplier cancelled) throws IOException {
        long t0 = System.nanoTime();
        long truncations = log.truncations();
        long start = log.startPosition();
        RecoveredMessages messages = new RecoveredMessages(null, null);
        List<Definition> definitions = new ArrayList<>();
        long records = 0;
        long skipped = 0;
        long end = start;
        try (LogReader reader = log.reader(start)) {
            LogRecord r;
            while (reader.position() < limit && (r = reader.next()) != null) {
                try {
                    if (r.nextPosition() > limit) {
                        break; // not wholly below the limit: recovery reads it
                    }
                    records++;
                    end = r.nextPosition();
                    if (!MessageStore.applyMessageRecord(r, messages)) {
                        definitions.add(new Definition(r.position(), r.type(), Unpooled.copiedBuffer(r.payload())));
                    }
                } catch (RuntimeException e) {
                    skipped++;
                    MessageStore.logSkipped(r.position(), r.type(), r.payload().readableBytes(), e);
                } finally {
                    r.release();
                }
                if ((records & 1023) == 0 && cancelled.getAsBoolean()) {
                    definitions.forEach(d -> d.payload().release());
                    return null;
                }
            }
        }
        return new Prereplay(log, start, end, truncations, messages, definitions, records, skipped, System.nanoTime() - t0);
    }

    /**
     * Why this cannot stand for the first records of {@code opened} (the same directory's log, opened again after the
     * one it read was closed), or null when it can: it must still start where it did and end at or beyond it. That
     * the log it read was not cut in between is for the caller to check before closing it ({@link #log()},
     * {@link #truncations()}).
     */
    String unfit(DurableLog opened) {
        if (opened.startPosition() != start) {
            return "the log starts at " + opened.startPosition() + ", not at " + start;
        }
        if (opened.endPosition() < end) {
            return "the log ends at " + opened.endPosition() + ", before " + end;
        }
        return null;
    }

    /** The log instance it read (to check, before that log is closed, that it was not cut since). */
    public DurableLog log() {
        return log;
    }

    /** {@link DurableLog#truncations()} of that log when it was read. */
    public long truncations() {
        return truncations;
    }

    /** The position after the last record read. */
    public long end() {
        return end;
    }

    /** Records read. */
    public long records() {
        return records;
    }

    /** How long the reading took, in ms. */
    public long millis() {
        return nanos / 1_000_000;
    }

    /** Releases the copied definitions if it is not used. */
    @Override
    public void close() {
        definitions.forEach(d -> {
            if (d.payload().refCnt() > 0) {
                d.payload().release();
            }
        });
        messages.close();
    }
}
