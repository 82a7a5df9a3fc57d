package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.warren.store.Message;
import io.warren.store.MessageSpill;
import io.warren.store.log.DurableLog;
import io.warren.store.log.LogConfig;
import io.warren.store.log.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where backlogged queues page out the messages the durable store does not hold (transient messages, and
 * everything of non-durable queues): a second {@link DurableLog} that is wiped when opened and when closed
 * (transient data never survives a restart, as in RabbitMQ) and never fsynced (a transient message is
 * confirmed once enqueued; "durable" here only means written). A message fanned out to several backlogged queues
 * is written once: each queue that pages it out holds the record (counted in {@link LiveMessages}) until it reads
 * it back or discards it; the segments wholly below the oldest held record are deleted every second, with
 * the same {@link LiveMessages} bookkeeping and {@link DurableLog#deleteSegmentsBefore} as the durable store.
 * A record (type {@code MESSAGE}, version 2): version u8, priority u8, persistent u8, id i64, arrival i64, expiresAt
 * i64, exchange and routing key (u16 length + UTF-8 each), properties length i32, properties, body.
 * Thread-safe.
 */
public final class TransientStore implements MessageSpill, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransientStore.class);
    static final int MESSAGE = 1;
    /** 2 adds arrival and expiresAt (the log is wiped on open, so no older record is ever read). */
    private static final int VERSION = 2;
    /** Smaller than the durable log's segments, so that disk use follows a draining backlog closely. */
    public static final long SEGMENT_BYTES = 16L << 20;

    private final DurableLog log;
    private final Path dir;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final LiveMessages live = new LiveMessages();
    private final ScheduledExecutorService retention;
    private volatile java.util.function.BooleanSupplier advice = () -> true;

    private TransientStore(DurableLog log, Path dir) {
        this.log = log;
        this.dir = dir;
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-transient-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(this::compactQuietly, 1000, 1000, TimeUnit.MILLISECONDS);
    }

    /** Creates {@code dir} if needed, deletes whatever an earlier run left in it, and opens an empty log. */
    public static TransientStore open(Path dir, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        wipe(dir);
        LogConfig config = LogConfig.defaults().withFsync(false).withMaxSegmentBytes(segmentBytes)
                .withWriterThreadName("warren-transient-writer");
        return new TransientStore(DurableLog.open(dir, config), dir);
    }

    public DurableLog log() {
        return log;
    }

    /** Spill only while {@code condition} holds (e.g. memory is getting scarce); always, until this is called. */
    public void adviseWhen(java.util.function.BooleanSupplier condition) {
        advice = condition;
    }

    @Override
    public boolean advised() {
        return advice.getAsBoolean();
    }

    @Override
    public long write(Message m) {
        // the message's monitor: two queues spilling the same fanned-out message at once write it once
        synchronized (m) {
            long shared = m.spilledAt();
            if (shared >= 0 && live.retainIfLive(shared)) {
                return shared;
            }
            long position = append(m);
            m.spilledAt(position);
            return position;
        }
    }

    private long append(Message m) {
        ByteBuf head = alloc.buffer(64);
        try {
            head.writeByte(VERSION).writeByte(m.priority()).writeBoolean(m.persistent()).writeLong(m.id())
                    .writeLong(m.arrival()).writeLong(m.expiresAt());
            writeStr(head, m.exchange());
            writeStr(head, m.routingKey());
            head.writeInt(m.rawProperties().readableBytes());
            // positions must join the live set in log order (LiveMessages keeps them sorted)
            synchronized (live) {
                long position = log.append(MESSAGE, 0, head, m.rawProperties(), m.body());
                live.add(position, 1);
                return position;
            }
        } finally {
            head.release();
        }
    }

    @Override
    public Message read(long position) {
        try {
            if (position >= log.writtenPosition()) {
                log.syncedTo(position).get(30, TimeUnit.SECONDS); // written (no fsync in this log)
            }
            LogRecord r = log.read(position);
            try {
                ByteBuf in = r.payload();
                int version = in.readUnsignedByte();
                if (r.type() != MESSAGE || version != VERSION) {
                    throw new IllegalArgumentException("record at " + position + " is not a transient message");
                }
                int priority = in.readUnsignedByte();
                boolean persistent = in.readBoolean();
                long id = in.readLong();
                long arrival = in.readLong();
                long expiresAt = in.readLong();
                String exchange = readStr(in);
                String routingKey = readStr(in);
                int propsLen = in.readInt();
                ByteBuf props = in.readRetainedSlice(propsLen);
                ByteBuf body = in.readRetainedSlice(in.readableBytes());
                return new Message(id, exchange, routingKey, props, body, persistent, priority, arrival, expiresAt);
            } finally {
                r.release();
                live.remove(position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading transient message " + position, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("transient message " + position + " was never written: " + e, e);
        }
    }

    @Override
    public void discard(long position) {
        live.remove(position);
    }

    /** Records still held by a queue. */
    public int liveMessages() {
        return live.size();
    }

    /** Deletes the segments wholly below the oldest record a queue still holds. */
    public CompletableFuture<Integer> compact() {
        long end;
        synchronized (live) { // a record is either in the live set or at/after end
            end = log.endPosition();
        }
        return log.deleteSegmentsBefore(live.oldest(end));
    }

    private void compactQuietly() {
        try {
            compact().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Transient log segment deletion failed: {}", e.toString());
        }
    }

    /** Stops retention, closes the log and deletes its files: nothing in it outlives the broker. */
    @Override
    public void close() throws IOException {
        retention.shutdownNow();
        log.close();
        wipe(dir);
    }

    private static void wipe(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void writeStr(ByteBuf out, String s) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        out.setShort(lengthAt, n); // AMQP shortstr names: at most 255 bytes
    }

    private static String readStr(ByteBuf in) {
        int n = in.readUnsignedShort();
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }
}
