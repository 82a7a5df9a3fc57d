package io.warren.mirror;

import io.netty.buffer.Unpooled;
import io.warren.store.log.DurableLog;
import io.warren.store.log.EpochHistory;
import io.warren.store.log.LogConfig;
import io.warren.store.log.SyncCallback;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's end of replication: connects to the primary, says where its log stands, cuts the tail
 * the primary never confirmed (or empties the log for a full copy), then appends every shipped record at
 * the same position, fsyncs, and reports its durable position. Reconnects after any failure. It owns the
 * backup's log while it runs; {@link #close()} hands the directory back (to a broker being promoted).
 * Its threads: "warren-mirror-follower" (connect, read, append) and "warren-mirror-acks" (report durable
 * positions; also the heartbeat, and the deletion of segments the primary has deleted). Public methods are
 * thread-safe.
 */
public final class Follower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    private final MirrorSettings settings;
    private final Path dir;
    private final LogConfig logConfig;
    private final Supplier<InetSocketAddress> primary;
    private final Thread thread;
    private final AtomicLong durable = new AtomicLong(-1);
    private volatile DurableLog log;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile Thread ackThread;
    private volatile boolean streaming;
    private volatile String refusal;
    /** The newest epoch a primary has announced: a START of an older one comes from a stale primary. */
    private volatile int epoch;
    private volatile long connects;
    /** The last TRIM not yet carried out: delete below {@code trimBelow} once durable up to {@code trimAfter}. */
    private volatile long trimBelow = -1;
    private volatile long trimAfter;

    /** Opens the backup's log in {@code dir} and starts following whatever {@code primary} names. */
    public Follower(MirrorSettings settings, Path dir, LogConfig logConfig, Supplier<InetSocketAddress> primary)
        throws IOException {
        this.settings = settings;
        this.dir = dir;
        this.logConfig = logConfig;
        this.primary = primary;
        this.log = DurableLog.open(dir, logConfig);
        List<EpochHistory.Entry> h = log.epochHistory();
        this.epoch = h.isEmpty() ? 0 : h.get(h.size() - 1).epoch();
        this.thread = new Thread(this::run, "warren-mirror-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** The log being followed into; replaced by a full copy. */
    public DurableLog log() {
        return log;
    }

    /** True while connected and streaming from a primary. */
    public boolean streaming() {
        return streaming;
    }

    /** The last reason a primary refused this node, or null. */
    public String refusal() {
        return refusal;
    }

    /** Everything before this position is fsynced in the backup's log and reported to the primary (-1 before). */
    public long durablePosition() {
        return durable.get();
    }

    /** Successful handshakes so far. */
    public long connects() {
        return connects;
    }

    private void run() {
        long backoff = settings.reconnectMillis();
        while (!closed) {
            InetSocketAddress address = primary.get();
            if (address != null && reopenIfFailed()) {
                try {
                    follow(address);
                    backoff = settings.reconnectMillis();
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        LOG.warn("Replication from {} stopped: {}", address, e.toString());
                    }
                } finally {
                    disconnect();
                }
            }
            if (!closed) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(backoff * 2, settings.reconnectMillis() * 10);
            }
        }
    }

    /**
     * A log that failed (a full or failing disk) is closed and opened again before the next connection: recovery
     * cuts what was not written whole, and the primary resends the rest. False while it still cannot be opened.
     */
    private boolean reopenIfFailed() {
        DurableLog current = log;
        if (current.failure() == null) {
            return true;
        }
        try {
            current.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the failed log {}: {}", dir, e.toString());
        }
        try {
            log = DurableLog.open(dir, logConfig);
            LOG.warn("Backup log {} reopened after it failed ({}); catching up from position {}", dir,
                current.failure().getMessage(), log.endPosition());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Backup log {} failed and cannot be opened again yet: {}", dir, e.toString());
            return false;
        }
    }

    private void follow(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        socket = s;
        if (closed) {
            throw new IOException("follower closed");
        }
        s.connect(address, settings.timeoutMillis());
        s.setTcpNoDelay(true);
        s.setSoTimeout(settings.timeoutMillis());
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 256 * 1024));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
        DurableLog current = log;
        Frames.writeHello(out, new Frames.Hello(settings.pair(), settings.node(), current.startPosition(),
            current.endPosition(), current.epochHistory()));
        int type = in.readUnsignedByte();
        if (type == Frames.REFUSE) {
            String why = in.readUTF();
            refusal = why;
            LOG.error("Primary at {} refused this node: {}", address, why);
            return;
        }
        if (type != Frames.START) {
            throw new IOException("expected START, got frame type " + type);
        }
        Frames.Start start = Frames.readStart(in);
        if (Integer.compareUnsigned(start.epoch(), epoch) < 0) {
            Frames.writeRefuse(out, "primary of epoch " + Integer.toUnsignedString(start.epoch())
                + " is stale: node " + settings.node() + " has seen epoch " + Integer.toUnsignedString(epoch));
            throw new IOException("primary at " + address + " announced stale epoch " + Integer.toUnsignedString(start.epoch()));
        }
        epoch = start.epoch();
        refusal = null;
        prepare(start);
        connects++;
        LOG.info("Following the primary at {} (epoch {}) from position {}", address,
            Integer.toUnsignedString(start.epoch()), start.position());
        durable.set(log.durablePosition());
        trimBelow = -1;
        startAcks(out);
        streaming = true;
        receive(in);
    }

    /** Cuts the unconfirmed tail, or starts the log afresh where the primary's starts. */
    private void prepare(Frames.Start start) throws IOException {
        DurableLog current = log;
        if (start.mode() == Frames.Start.RESET) {
            LOG.warn("The primary no longer has what log {} lacks: taking a full copy from position {}", dir, start.position());
            current.close();
            DurableLog.resetAt(dir, start.position());
            log = DurableLog.open(dir, logConfig);
        } else if (start.position() < current.endPosition()) {
            LOG.warn("Cutting log {} at {}: {} bytes after it were never confirmed by the current primary", dir,
                start.position(), current.endPosition() - start.position());
            try {
                current.truncate(start.position()).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("could not truncate " + dir + " at " + start.position() + ": " + e, e);
            }
        } else if (start.position() > current.endPosition()) {
            throw new IOException("primary starts the stream at " + start.position() + " past this log's end "
                + current.endPosition());
        }
    }

    private void receive(DataInputStream in) throws IOException {
        DurableLog current = log;
        long last = -1;
        while (!closed) {
            int type;
            try {
                type = in.readUnsignedByte();
            } catch (EOFException e) {
                throw new IOException("primary closed the connection");
            }
            if (type == Frames.RECORD) {
                long position = in.readLong();
                int recordType = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int recordEpoch = in.readInt();
                int crc = in.readInt();
                int length = in.readInt();
                if (length < 0 || length > (1 << 30)) {
                    throw new IOException("record length " + length + " out of range");
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (Integer.compareUnsigned(recordEpoch, epoch) > 0) {
                    throw new IOException("record of epoch " + Integer.toUnsignedString(recordEpoch)
                        + " from a primary of epoch " + Integer.toUnsignedString(epoch));
                }
                current.appendReplica(position, recordType, flags, recordEpoch, crc, Unpooled.wrappedBuffer(payload));
                last = position;
            } else if (type == Frames.BEAT) {
                // idle primary: nothing to do
            } else if (type == Frames.TRIM) {
                long below = in.readLong();
                long after = in.readLong();
                trimAfter = after; // read by the ack thread after trimBelow
                trimBelow = below;
            } else if (type == Frames.REFUSE) {
                throw new IOException("primary ended replication: " + in.readUTF());
            } else {
                throw new IOException("unexpected frame type " + type);
            }
            if (last >= 0 && in.available() == 0) {
                current.durable(last, new SyncCallback() { // one callback per burst, not per record
                    @Override
                    public void synced() {
                        wakeAcks();
                    }

                    @Override
                    public void failed(Throwable cause) {
                        LOG.error("Backup log failed: {}", cause.toString());
                        disconnect();
                    }
                });
                last = -1;
            }
        }
    }

    private void wakeAcks() {
        Thread t = ackThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void startAcks(DataOutputStream out) {
        DurableLog current = log;
        Socket s = socket;
        Thread t = new Thread(() -> {
            long sent = -1;
            long lastSend = 0;
            try {
                while (!closed && socket == s && !s.isClosed()) {
                    long now = System.nanoTime();
                    long d = current.durablePosition();
                    if (d != sent || now - lastSend > TimeUnit.MILLISECONDS.toNanos(settings.heartbeatMillis())) {
                        Frames.writeAck(out, d);
                        sent = d;
                        lastSend = now;
                        durable.set(d);
                    }
                    long below = trimBelow;
                    if (below >= 0 && d >= trimAfter) {
                        trimBelow = -1;
                        current.deleteSegmentsBefore(below).whenComplete((n, e) -> {
                            if (e != null) {
                                LOG.warn("Deleting segments of backup log {} below {} failed: {}", dir, below, e.toString());
                            } else if (n > 0) {
                                LOG.debug("Deleted {} segments of backup log {} below {}, as the primary did", n, dir, below);
                            }
                        });
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(settings.heartbeatMillis()));
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Sending acks to the primary failed: {}", e.toString());
                }
                disconnect();
            }
        }, "warren-mirror-acks");
        t.setDaemon(true);
        ackThread = t;
        t.start();
    }

    private void disconnect() {
        streaming = false;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Thread t = ackThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops following and closes the log (everything received is fsynced first). */
    @Override
    public void close() throws IOException {
        closed = true;
        disconnect();
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            Thread t = ackThread;
            if (t != null) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
