package io.warren.mirror;

import io.warren.store.log.DurableLog;
import io.warren.store.log.LogReader;
import io.warren.store.log.LogRecord;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's end of one backup connection: ships every record from the agreed position as soon as it
 * is written (before the primary's own fsync), and reads the backup's acks. Backpressure is TCP's: a slow
 * backup blocks only its own feed thread, and its unsent records stay in the log (held back from
 * deletion by the reader). Threads: "warren-mirror-feed" (ships) and "warren-mirror-feed-acks" (reads).
 *
 * <p>When the primary's store has deleted old segments (everything in them acknowledged, and the definitions written
 * again after them), the feed tells the backup with a TRIM, so that the backup's log does not grow without end and
 * a promotion does not replay what was acknowledged long ago. The TRIM names the primary's written end at that
 * moment: the backup deletes only once it holds all of that durably (the definitions snapshot the deletion relied on
 * lies below it).
 */
final class ReplicaFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFeed.class);

    /** During a long burst, how many records go out between two looks at the log's start. */
    private static final int TRIM_CHECK_RECORDS = 4096;

    private final MirrorSettings settings;
    private final DurableLog log;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final InSyncTracker tracker;
    private final long from;
    private final String node;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final Thread shipper;
    private final Thread ackReader;
    private volatile boolean closed;
    private volatile Runnable onClose = () -> { };

    ReplicaFeed(MirrorSettings settings, DurableLog log, Socket socket, DataInputStream in, DataOutputStream out,
                InSyncTracker tracker, String node, long from) {
        this.settings = settings;
        this.log = log;
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.tracker = tracker;
        this.node = node;
        this.from = from;
        this.shipper = new Thread(this::ship, "warren-mirror-feed");
        this.ackReader = new Thread(this::readAcks, "warren-mirror-feed-acks");
        shipper.setDaemon(true);
        ackReader.setDaemon(true);
    }

    void start(Runnable whenClosed) {
        onClose = whenClosed;
        tracker.connected(node, from);
        shipper.start();
        ackReader.start();
    }

    String node() {
        return node;
    }

    /** The log wrote more: wakes the shipper if it waits. Called on the log's writer thread. */
    void wake() {
        lock.lock(); // held by the shipper only to check and wait, never during I/O
        try {
            written.signal();
        } finally {
            lock.unlock();
        }
    }

    private void ship() {
        try (LogReader reader = log.reader(from)) {
            long lastSend = System.nanoTime();
            long trimmed = log.startPosition();
            int sinceTrimCheck = 0;
            while (!closed) {
                LogRecord r = reader.next();
                if (r != null) {
                    try {
                        Frames.writeRecord(out, r);
                    } finally {
                        r.release();
                    }
                    if (++sinceTrimCheck < TRIM_CHECK_RECORDS) {
                        continue;
                    }
                }
                sinceTrimCheck = 0;
                long start = log.startPosition();
                if (start > trimmed) {
                    Frames.writeTrim(out, start, log.writtenPosition());
                    trimmed = start;
                }
                if (r != null) {
                    continue;
                }
                out.flush();
                long now = System.nanoTime();
                if (now - lastSend >= TimeUnit.MILLISECONDS.toNanos(settings.heartbeatMillis())) {
                    Frames.writeBeat(out);
                }
                lastSend = now;
                lock.lock();
                try {
                    if (reader.position() >= log.writtenPosition() && !closed) {
                        written.await(settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("Shipping to backup {} stopped: {}", node, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void readAcks() {
        try {
            while (!closed) {
                int type = in.readUnsignedByte();
                if (type == Frames.ACK) {
                    tracker.acked(in.readLong());
                } else if (type == Frames.REFUSE) {
                    LOG.error("Backup {} refused this primary: {}", node, in.readUTF());
                    break;
                } else {
                    throw new IOException("unexpected frame type " + type + " from backup " + node);
                }
            }
        } catch (EOFException e) {
            if (!closed) {
                LOG.warn("Backup {} closed the connection", node);
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("Reading acks of backup {} stopped: {}", node, e.toString());
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tracker.disconnected();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        lock.lock();
        try {
            written.signal();
        } finally {
            lock.unlock();
        }
        onClose.run();
    }
}
