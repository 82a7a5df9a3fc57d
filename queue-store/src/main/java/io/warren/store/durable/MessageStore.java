package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.warren.store.Message;
import io.warren.store.QueueJournal;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogConfig;
import io.warren.store.log.LogReader;
import io.warren.store.log.LogRecord;
import io.warren.store.log.SyncCallback;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's durable state on top of one {@link DurableLog}: publishes of persistent messages to durable
 * queues (the body written once for all its queues; the message id is the record's position), acks, and
 * the server's definition records and snapshots ({@link StoreRecords} has the layouts). Tracks which
 * publish records are still live and deletes the log segments below both the oldest live publish and the
 * latest durable definitions snapshot. Thread-safe: appends from any thread; journals from their queue's
 * executor; retention on its own thread ("warren-log-retention").
 *
 * <p>Crash policy: the log's (torn tail cut, damaged records skipped); a record that passes its CRC but
 * cannot be decoded is skipped with a WARN naming its position, and recovery goes on.
 */
public final class MessageStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

    /** What the server does with the definition records met during recovery, in log order. */
    public interface DefinitionReplay {
        void definition(long position, ByteBuf payload, RecoveredMessages messages);

        /** All durable definitions as of {@code position}: replaces everything replayed so far. */
        void snapshot(long position, ByteBuf payload, RecoveredMessages messages);
    }

    private final DurableLog log;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final LiveMessages live = new LiveMessages();
    private final ScheduledExecutorService retention;
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private volatile LongSupplier snapshotWriter;
    /** The latest durable snapshot: the log before it is needed only for live publishes. */
    private volatile long snapshotPosition = -1;
    private volatile long skippedRecords;
    /** The HA epoch new records are tagged with: 0 on a single node, the current epoch on a mirrored primary. */
    private volatile int epoch;

    private MessageStore(DurableLog log) {
        this.log = log;
        var history = log.epochHistory();
        this.epoch = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch(); // epochs never go back
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-log-retention");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the log in {@code dir} (which must exist) and recovers its files; call {@link #recover} next. */
    public static MessageStore open(Path dir, LogConfig config) throws IOException {
        return new MessageStore(DurableLog.open(dir, config));
    }

    public DurableLog log() {
        return log;
    }

    /**
     * Reads the whole log in order: definitions go to {@code replay}, publishes and acks into the result,
     * which the caller drains into the recreated queues and then closes.
     */
    public RecoveredMessages recover(DefinitionReplay replay) throws IOException {
        Prereplay ahead = prereplay;
        prereplay = null;
        String unfit = ahead == null ? null : ahead.unfit(log);
        if (unfit != null) {
            LOG.info("Reading the whole log to recover: what was read ahead ({} records) cannot be used: {}", ahead.records,
                unfit);
            ahead.close();
            ahead = null;
        }
        RecoveredMessages messages;
        long skipped = 0;
        long from = log.startPosition();
        if (ahead == null) {
            messages = new RecoveredMessages(live, this::read);
        } else {
            messages = ahead.messages;
            messages.bind(live, this::read);
            for (Prereplay.Definition d : ahead.definitions) {
                messages.definitionAt(d.position());
                try {
                    replayDefinition(replay, d.type(), d.position(), d.payload(), messages);
                } catch (RuntimeException e) {
                    skipped++;
                    logSkipped(d.position(), d.type(), d.payload().readableBytes(), e);
                } finally {
                    d.payload().release();
                }
            }
            messages.definitionAt(-1);
            skipped += ahead.skipped;
            from = ahead.end;
            LOG.info("Recovering with the log's first {} records read ahead in {} ms (up to position {}); reading the "
                + "rest", ahead.records, ahead.millis(), ahead.end);
        }
        try (LogReader reader = log.reader(from)) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                try {
                    if (!applyMessageRecord(r, messages)) {
                        replayDefinition(replay, r.type(), r.position(), r.payload(), messages);
                    }
                } catch (RuntimeException e) {
                    skipped++;
                    logSkipped(r.position(), r.type(), r.payload().readableBytes(), e);
                } finally {
                    r.release();
                }
            }
        }
        skippedRecords = skipped;
        return messages;
    }

    /**
     * Recovery of one record: a publish, ack or delivery is applied to {@code messages} (an epoch's first record needs
     * nothing); false for a definition record or snapshot, which the caller replays.
     *
     * @throws IllegalArgumentException for a record type the store does not write
     */
    static boolean applyMessageRecord(LogRecord r, RecoveredMessages messages) {
        switch (r.type()) {
            case StoreRecords.PUBLISH -> messages.publish(r.position(), r.payload());
            case StoreRecords.ACK -> messages.ack(StoreRecords.decodeAck(r.payload()));
            case StoreRecords.DELIVERY -> messages.delivery(StoreRecords.decodeDelivery(r.payload()));
            case StoreRecords.EPOCH_START -> { }
            case StoreRecords.DEFINITION, StoreRecords.DEFINITIONS_SNAPSHOT -> {
                return false;
            }
            default -> throw new IllegalArgumentException("unknown record type " + r.type());
        }
        return true;
    }

    /** A definition record or snapshot, to the server's replay. */
    private static void replayDefinition(DefinitionReplay replay, int type, long position, ByteBuf payload,
                                         RecoveredMessages messages) {
        if (type == StoreRecords.DEFINITION) {
            replay.definition(position, payload, messages);
        } else {
            replay.snapshot(position, payload, messages);
        }
    }

    static void logSkipped(long position, int type, int bytes, RuntimeException e) {
        LOG.warn("Skipping unreadable log record at position {} (type {}, {} bytes): {}", position, type, bytes,
            e.toString());
    }

    /**
     * Makes the next {@link #recover} start from what {@code ahead} read of this directory's log before this store
     * opened it, and read only the records after those. Recovery checks that the log still starts where it did and
     * holds at least as much, and otherwise reads it all (and closes {@code ahead}); the caller must know that the
     * log it read was not cut since. Call before {@link #recover}.
     */
    public void adopt(Prereplay ahead) {
        Prereplay previous = prereplay;
        prereplay = ahead;
        if (previous != null && previous != ahead) {
            previous.close();
        }
    }

    private Prereplay prereplay;

    /**
     * Tags every later record with {@code newEpoch} (unsigned, above every epoch in the log) and appends the
     * epoch's first record; returns its position. Called by a node as it becomes primary.
     */
    public long beginEpoch(int newEpoch) {
        List<io.warren.store.log.EpochHistory.Entry> history = log.epochHistory();
        if (!history.isEmpty() && Integer.compareUnsigned(newEpoch, history.get(history.size() - 1).epoch()) <= 0) {
            throw new IllegalArgumentException("epoch " + Integer.toUnsignedString(newEpoch)
                    + " is not above the log's last epoch " + history.get(history.size() - 1));
        }
        epoch = newEpoch;
        return log.append(StoreRecords.EPOCH_START, newEpoch, io.netty.buffer.Unpooled.EMPTY_BUFFER);
    }

    /** The epoch new records are tagged with. */
    public int epoch() {
        return epoch;
    }

    /** Records that passed their checksum but could not be replayed, in the last {@link #recover}. */
    public long skippedRecords() {
        return skippedRecords;
    }

    /**
     * Appends a persistent message routed to {@code queues} (durable queues of {@code vhost}); returns its
     * position, which becomes the message id. The buffers are only read (the log keeps slices until written).
     */
    public long publish(int priority, String vhost, String exchange, String routingKey, List<String> queues,
                        ByteBuf properties, ByteBuf body) {
        return publish(priority, System.currentTimeMillis(), Message.NEVER, -1, vhost, exchange, routingKey, queues,
                properties, body);
    }

    /**
     * As {@link #publish(int, String, String, String, List, ByteBuf, ByteBuf)}, with the message's arrival and
     * own expiry (epoch ms, {@link Message#NEVER} for none), and for a scheduled message the time it is due (epoch
     * ms, -1 for none); recovery hands them back ({@link RecoveredMessages#takeQueue}).
     */
    public long publish(int priority, long arrival, long expiresAt, long due, String vhost, String exchange,
                        String routingKey, List<String> queues, ByteBuf properties, ByteBuf body) {
        ByteBuf head = StoreRecords.publishHead(alloc, priority, arrival, expiresAt, due, vhost, exchange, routingKey,
                queues, properties.readableBytes());
        try {
            // Registered under the log's append order: no queue can settle it before this returns.
            synchronized (live) {
                long position = log.append(StoreRecords.PUBLISH, epoch, head, properties, body);
                live.add(position, queues.size());
                return position;
            }
        } finally {
            head.release();
        }
    }

    /**
     * Reads the persistent message published at {@code id} back (a position {@link #publish} returned); the
     * reference is the caller's. Blocking file I/O; waits for the record to be written if it is not yet.
     *
     * @throws java.io.UncheckedIOException if it cannot be read, IllegalArgumentException if it is no publish
     */
    public Message read(long id) {
        try {
            if (id >= log.writtenPosition()) {
                log.syncedTo(id).get(30, TimeUnit.SECONDS);
            }
            LogRecord r = log.read(id);
            try {
                if (r.type() != StoreRecords.PUBLISH) {
                    throw new IllegalArgumentException("record at " + id + " is of type " + r.type() + ", not a publish");
                }
                StoreRecords.Publish p = StoreRecords.decodePublish(r.payload());
                return new Message(id, p.exchange(), p.routingKey(), p.properties().retainedSlice(),
                        p.body().retainedSlice(), true, p.priority(), p.arrival(), p.expiresAt());
            } finally {
                r.release();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading message " + id, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("message " + id + " was never written: " + e, e);
        }
    }

    /** Appends a definition change (opaque to the store); the caller keeps its buffer. */
    public long appendDefinition(ByteBuf payload) {
        return log.append(StoreRecords.DEFINITION, epoch, payload);
    }

    /** Appends a snapshot of every durable definition; it frees the log before it once durable. */
    public long appendSnapshot(ByteBuf payload) {
        long position = log.append(StoreRecords.DEFINITIONS_SNAPSHOT, epoch, payload);
        log.durable(position, new SyncCallback() {
            @Override
            public void synced() {
                if (position > snapshotPosition) {
                    snapshotPosition = position;
                }
            }

            @Override
            public void failed(Throwable cause) {
                // the old snapshot stays in force
            }
        });
        return position;
    }

    public void durable(long position, SyncCallback callback) {
        log.durable(position, callback);
    }

    public CompletableFuture<Void> syncedTo(long position) {
        return log.syncedTo(position);
    }

    /** Completes once everything appended before this call is durable (on the writer thread). */
    public CompletableFuture<Void> syncedToEnd() {
        long end = log.endPosition();
        return end == 0 ? CompletableFuture.completedFuture(null) : log.syncedTo(end - 1);
    }

    /** Where the next record goes: everything appended so far is below it. */
    public long endPosition() {
        return log.endPosition();
    }

    /** The journal of one durable queue; confined to that queue's executor. */
    public QueueJournal journal(String vhost, String queue) {
        return new AckJournal(vhost, queue);
    }

    /** Publish records some durable queue still holds. */
    public int liveMessages() {
        return live.size();
    }

    /**
     * Starts deleting dead segments every {@code periodMillis}; {@code snapshotWriter} appends a fresh
     * definitions snapshot (through {@link #appendSnapshot}) and returns its position.
     */
    public void startRetention(LongSupplier snapshotWriter, long periodMillis) {
        this.snapshotWriter = snapshotWriter;
        retention.scheduleWithFixedDelay(() -> {
            try {
                compact().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Log segment deletion failed: {}", e.toString());
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes the segments wholly below min(oldest live publish, latest durable snapshot); if the snapshot
     * is what holds a segment back, writes a newer one first (it counts once it is durable).
     */
    public CompletableFuture<Integer> compact() {
        long end;
        synchronized (live) { // a publish is either in the live set or at/after end
            end = log.endPosition();
        }
        long oldest = live.oldest(end);
        long snapshot = snapshotPosition;
        LongSupplier writer = snapshotWriter;
        if (writer != null && snapshot < oldest && segmentBoundaryIn(snapshot, oldest)
                && snapshotting.compareAndSet(false, true)) {
            try {
                long position = writer.getAsLong();
                return log.syncedTo(position).thenCompose(v -> log.deleteSegmentsBefore(Math.min(
                        live.oldest(end), snapshotPosition))).whenComplete((n, e) -> snapshotting.set(false));
            } catch (RuntimeException e) {
                snapshotting.set(false);
                throw e;
            }
        }
        if (snapshot < 0) {
            return CompletableFuture.completedFuture(0);
        }
        return log.deleteSegmentsBefore(Math.min(oldest, snapshot));
    }

    private boolean segmentBoundaryIn(long after, long upTo) {
        for (long base : log.segmentBases()) {
            if (base > after && base <= upTo && base > log.startPosition()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        retention.shutdownNow();
        log.close();
    }

    /**
     * Gathers one queue task's removals into one ACK record, and its deliveries and returns into one DELIVERY record
     * written before it.
     */
    private final class AckJournal implements QueueJournal {
        private final String vhost;
        private final String queue;
        private long[] positions = new long[16];
        private int count;
        private long[] events = new long[16];
        private int eventCount;

        AckJournal(String vhost, String queue) {
            this.vhost = vhost;
            this.queue = queue;
        }

        @Override
        public void removed(Message message) {
            removed(message.id());
        }

        @Override
        public void removed(long id) {
            if (count == positions.length) {
                positions = Arrays.copyOf(positions, count * 2);
            }
            positions[count++] = id;
        }

        @Override
        public void delivered(long id) {
            event(id);
        }

        @Override
        public void returned(long id) {
            event(~id);
        }

        private void event(long e) {
            if (eventCount == events.length) {
                events = Arrays.copyOf(events, eventCount * 2);
            }
            events[eventCount++] = e;
        }

        @Override
        public boolean pagesOut() {
            return true;
        }

        @Override
        public Message read(long id) {
            return MessageStore.this.read(id);
        }

        @Override
        public void flush() {
            if (eventCount > 0) {
                ByteBuf record = StoreRecords.delivery(alloc, vhost, queue, events, eventCount);
                try {
                    log.append(StoreRecords.DELIVERY, epoch, record);
                } finally {
                    record.release();
                }
                eventCount = 0;
                if (events.length > 4096) {
                    events = new long[16];
                }
            }
            if (count == 0) {
                return;
            }
            ByteBuf record = StoreRecords.ack(alloc, vhost, queue, positions, count);
            try {
                log.append(StoreRecords.ACK, epoch, record);
            } finally {
                record.release();
            }
            // Only after the ack is in the log's order may the publish's segment go.
            for (int i = 0; i < count; i++) {
                live.remove(positions[i]);
            }
            count = 0;
            if (positions.length > 4096) {
                positions = new long[16];
            }
        }
    }
}
