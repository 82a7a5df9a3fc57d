package io.warren.mirror;

import io.warren.store.log.DurableLog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's replication listener: accepts the backup, checks who it is (same pair, another node id,
 * a log of the same history), tells it where its log must end, and starts a {@link ReplicaFeed}. One
 * backup at a time: a new connection replaces the old one. Thread: "warren-mirror-accept"; public
 * methods are thread-safe.
 */
public final class ReplicationServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationServer.class);

    private final MirrorSettings settings;
    private final DurableLog log;
    private final int epoch;
    private final InSyncTracker tracker;
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile ReplicaFeed feed;
    private volatile boolean closed;

    /**
     * Listens on {@code bind} (port 0 picks one) for the backup of a primary in {@code epoch}, whose log
     * must already have begun that epoch.
     */
    public ReplicationServer(MirrorSettings settings, DurableLog log, int epoch, InSyncTracker tracker,
                             InetSocketAddress bind) throws IOException {
        this.settings = settings;
        this.log = log;
        this.epoch = epoch;
        this.tracker = tracker;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind);
        log.onWritten(position -> {
            tracker.written(position);
            ReplicaFeed f = feed;
            if (f != null) {
                f.wake();
            }
        });
        this.acceptor = new Thread(this::acceptLoop, "warren-mirror-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Primary of epoch {} listening for its backup on {}", Integer.toUnsignedString(epoch),
            server.getLocalSocketAddress());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public InSyncTracker tracker() {
        return tracker;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Accepting backups failed: {}", e.toString());
                }
                continue;
            }
            try {
                handshake(s);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Backup connection from {} failed its handshake: {}", s.getRemoteSocketAddress(), e.toString());
                closeQuietly(s);
            }
        }
    }

    private void handshake(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout(settings.timeoutMillis());
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 256 * 1024));
        int type = in.readUnsignedByte();
        if (type != Frames.HELLO) {
            throw new IOException("expected HELLO, got frame type " + type);
        }
        Frames.Hello hello = Frames.readHello(in);
        Frames.Start start;
        try {
            if (!hello.pair().equals(settings.pair())) {
                throw new Divergence.Refused("node " + hello.node() + " belongs to pair '" + hello.pair()
                    + "', this is pair '" + settings.pair() + "'");
            }
            if (hello.node().equals(settings.node())) {
                throw new Divergence.Refused("node id '" + hello.node() + "' is this primary's own: two nodes have one id");
            }
            start = Divergence.decide(epoch, log.epochHistory(), log.startPosition(), log.endPosition(), hello);
        } catch (Divergence.Refused r) {
            LOG.error("Refusing backup {} from {}: {}", hello.node(), s.getRemoteSocketAddress(), r.getMessage());
            Frames.writeRefuse(out, r.getMessage());
            closeQuietly(s);
            return;
        }
        Frames.writeStart(out, start);
        LOG.info("Backup {} connected from {}: streaming from position {}{}", hello.node(), s.getRemoteSocketAddress(),
            start.position(), start.mode() == Frames.Start.RESET ? " (full copy)" : "");
        ReplicaFeed next = new ReplicaFeed(settings, log, s, in, out, tracker, hello.node(), start.position());
        ReplicaFeed old = feed;
        feed = next;
        if (old != null) {
            old.close();
        }
        next.start(() -> {
            if (feed == next) {
                feed = null;
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** Stops accepting and drops the backup's connection (the tracker is the caller's to close). */
    @Override
    public void close() {
        closed = true;
        log.onWritten(null);
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        ReplicaFeed f = feed;
        if (f != null) {
            f.close();
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
