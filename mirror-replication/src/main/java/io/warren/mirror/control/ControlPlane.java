package io.warren.mirror.control;

import io.warren.mirror.Membership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a pair's control plane: a Ratis server holding the {@link ControlState} (replicated among
 * the two data nodes and the witness), and a client to change and read it. Every change is a
 * {@link ControlCommand} committed by a majority; reads are linearizable. Thread-safe; futures complete
 * on Ratis's threads.
 */
public final class ControlPlane implements Membership, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /** A member: its id ("a", "b", "witness") and the host:port the others reach its control plane at. */
    public record Peer(String id, String address) {
    }

    private static final long RETRY_MILLIS = 200;

    private final String self;
    private final ControlTiming timing;
    private final PairStateMachine machine = new PairStateMachine();
    private final RaftServer server;
    private final RaftClient client;

    private ControlPlane(String pair, String self, List<Peer> peers, Path dir, String bindHost, int bindPort,
                         ControlTiming timing) throws IOException {
        this.self = self;
        this.timing = timing;
        RaftGroup group = RaftGroup.valueOf(groupId(pair), peers.stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build()).toList());
        RaftProperties props = properties(dir, bindHost, bindPort, timing);
        boolean fresh = !Files.isDirectory(dir.resolve(group.getGroupId().getUuid().toString()));
        this.server = RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(self))
            .setGroup(group)
            .setStateMachine(machine)
            .setProperties(props)
            .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
            .build();
        this.client = RaftClient.newBuilder()
            .setProperties(props)
            .setRaftGroup(group)
            .setClientId(ClientId.randomId())
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                Math.max(1, (int) (timing.requestMillis() / 200)), TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
            .build();
    }

    /**
     * Starts member {@code self} of the pair's control plane, listening on {@code bindHost:bindPort}, keeping
     * its Raft log and snapshots in {@code dir}.
     */
    public static ControlPlane start(String pair, String self, List<Peer> peers, Path dir, String bindHost, int bindPort,
                                     ControlTiming timing) throws IOException {
        if (peers.stream().noneMatch(p -> p.id().equals(self))) {
            throw new IllegalArgumentException("member " + self + " is not among the control plane's peers " + peers);
        }
        Files.createDirectories(dir);
        ControlPlane plane = new ControlPlane(pair, self, peers, dir, bindHost, bindPort, timing);
        try {
            plane.server.start();
        } catch (IOException | RuntimeException e) {
            plane.close();
            throw e;
        }
        LOG.info("Control plane member {} of pair {} started on {}:{}", self, pair, bindHost, bindPort);
        return plane;
    }

    static RaftGroupId groupId(String pair) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("warren-pair:" + pair).getBytes(StandardCharsets.UTF_8)));
    }

    private static RaftProperties properties(Path dir, String host, int port, ControlTiming timing) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
        GrpcConfigKeys.Server.setHost(p, host);
        GrpcConfigKeys.Server.setPort(p, port);
        // Seconds, not Ratis's 150-300 ms: a GC pause or a busy machine must not depose a healthy leader.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(timing.electionMinMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(timing.electionMaxMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timing.requestMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, timing.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        return p;
    }

    public String self() {
        return self;
    }

    /**
     * The agreed state, read linearizably (through the leader, confirmed by a majority); retried while no
     * leader is known, failing once {@link ControlTiming#requestMillis()} has passed.
     */
    public CompletableFuture<ControlState> read() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.requestMillis());
        CompletableFuture<ControlState> result = new CompletableFuture<>();
        readUntil(deadline, result);
        return result;
    }

    private void readUntil(long deadline, CompletableFuture<ControlState> result) {
        long left = deadline - System.nanoTime();
        client.async().sendReadOnly(Message.EMPTY)
            .thenApply(reply -> ControlState.decode(content(reply).getBytes(StandardCharsets.UTF_8)))
            .orTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS)
            .whenComplete((state, e) -> {
                if (e == null) {
                    result.complete(state);
                } else if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS) < deadline) {
                    CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> readUntil(deadline, result));
                } else {
                    result.completeExceptionally(e);
                }
            });
    }

    /** This member's own copy of the state, possibly stale: for status pages, never for decisions. */
    public ControlState localState() {
        return machine.state();
    }

    /**
     * Commits {@code command}; completes with the new state, or exceptionally with
     * {@link ControlCommand.Rejected} when it did not fit the state, or a timeout without a majority.
     */
    public CompletableFuture<ControlState> submit(ControlCommand command) {
        return client.async().send(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString
                .copyFrom(command.encode())))
            .thenApply(reply -> {
                String text = content(reply);
                if (text.startsWith("OK ")) {
                    return ControlState.decode(text.substring(3).getBytes(StandardCharsets.UTF_8));
                }
                throw new CompletionException(new ControlCommand.Rejected(text.startsWith("REJECTED ") ? text.substring(9) : text));
            })
            .orTimeout(timing.requestMillis(), TimeUnit.MILLISECONDS);
    }

    private static String content(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException() != null ? reply.getException()
                : new IOException("control plane request failed"));
        }
        return reply.getMessage().getContent().toStringUtf8();
    }

    @Override
    public CompletableFuture<Void> commitInSync(int epoch, Set<String> nodes) {
        return submit(new ControlCommand.SetInSync(epoch, self, nodes)).thenApply(s -> null);
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
