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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.MultipleLinearRandomRetry;
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

    /**
     * A member: its id ("a", "b", "witness"), the host:port the others reach its control plane at, and its Raft
     * priority. The data nodes have 1 and the witness 0: a member votes for a candidate whose log is as long as its own
     * only if the candidate's priority is not lower, so when the leader is lost the witness cannot win against the
     * surviving data node, and the two cannot split their votes by standing at the same time (seen: a 4 s election,
     * longer than the primary's lease).
     */
    public record Peer(String id, String address, int priority) {
        public Peer(String id, String address) {
            this(id, address, 1);
        }
    }

    /**
     * Pauses between the attempts of one request (to another member, once the one it went to did not answer or did
     * not lead): five short ones first, then about 100 ms (each drawn between half and one and a half times that).
     */
    static final String CLIENT_RETRY = "20ms,5, 100ms,2000000000";

    /** The leader's waits between attempts to reach a member that failed: pairs of (wait, attempts). */
    static final String APPENDER_RETRY = "1ms,10, 100ms,10, 250ms,2000000000";

    private final String self;
    private final ControlTiming timing;
    private final PairStateMachine machine = new PairStateMachine();
    private final RaftServer server;
    private final RaftClient client;
    private final RaftGroupId groupId;
    /**
     * Runs each request as a blocking call of its own ("warren-control-request" threads), interrupted at its deadline.
     * Ratis's asynchronous writes are ordered per client: one request stuck on an unreachable leader would hold back
     * every later one (a lease renewal behind it would miss the lease); blocking calls are independent.
     */
    private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "warren-control-request");
        t.setDaemon(true);
        return t;
    });

    private ControlPlane(String pair, String self, List<Peer> peers, Path dir, String bindHost, int bindPort,
                         ControlTiming timing) throws IOException {
        this.self = self;
        this.timing = timing;
        this.groupId = groupId(pair);
        RaftGroup group = group(pair, peers);
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
            // attempts go on until the request's own deadline interrupts them
            .setRetryPolicy(MultipleLinearRandomRetry.parseCommaSeparated(CLIENT_RETRY))
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
        ControlPlaneJit.apply();
        // before this member listens: something already answering as it, or peers of another pair, mean a misconfiguration
        StartupCheck.verify(group(pair, peers), pair, self, 2000);
        Files.createDirectories(dir);
        // Raft storage holds this member's votes and log; another member's, copied here, would make it answer for
        // entries it never accepted: refused, as a log directory of another node is.
        io.warren.mirror.NodeIdentity.claim(dir, pair, self);
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

    private static RaftGroup group(String pair, List<Peer> peers) {
        return RaftGroup.valueOf(groupId(pair), peers.stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).setPriority(p.priority()).build()).toList());
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
        // One attempt of a client request: a leader that does not answer within this (paused, or cut off behind a
        // half-open connection) is given up for another member, well within a lease.
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timing.attemptMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, timing.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Purge at every snapshot rather than Ratis's default gap of 1024 entries, so that the log stays as short as
        // the snapshots say and a member that was away long catches up the way it would then: from a snapshot.
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, timing.snapshotEvery()));
        // The leader retries a member it cannot reach every quarter second or so, for good. Ratis's default backs off
        // to one attempt per 5 s after 30 errors (a few seconds of a cut link): a member back from a restart or a cut
        // then stayed unheard for up to 5 s, and a second fault within that time (the other member lost) cost the
        // leader its majority although two of three members were up.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY);
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
        return readAgreed().thenApply(Agreed::state);
    }

    /**
     * The agreed state and the Raft entry (term, index) whose command made it; term and index are -1 when unknown
     * (the state came from a snapshot).
     */
    public record Agreed(ControlState state, long term, long index) {

        static Agreed decode(String reply) {
            int at = reply.lastIndexOf(" @");
            if (at < 0) {
                return new Agreed(ControlState.decode(reply.getBytes(StandardCharsets.UTF_8)), -1, -1);
            }
            String[] entry = reply.substring(at + 2).split(":");
            return new Agreed(ControlState.decode(reply.substring(0, at).getBytes(StandardCharsets.UTF_8)),
                Long.parseLong(entry[0]), Long.parseLong(entry[1]));
        }
    }

    /** As {@link #read()}, with the Raft entry that made the state. */
    public CompletableFuture<Agreed> readAgreed() {
        return call(() -> Agreed.decode(content(client.io().sendReadOnly(Message.EMPTY))), timing.requestMillis());
    }

    /**
     * The last entry of this member's own Raft log as {term, index} ({-1, -1} when none or unreadable): from memory,
     * no request. Whatever entry the log ends with now, it holds every entry of that term before it (Raft's log
     * matching), so a backup can tell since when it has held a given entry.
     */
    public long[] lastLogEntry() {
        try {
            org.apache.ratis.server.protocol.TermIndex last = server.getDivision(groupId).getRaftLog().getLastEntryTermIndex();
            return last == null ? new long[] {-1, -1} : new long[] {last.getTerm(), last.getIndex()};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    private interface Request<T> {
        T call() throws IOException;
    }

    /** Runs {@code request} on a thread of its own; at {@code timeoutMillis} it fails with a timeout and is interrupted. */
    private <T> CompletableFuture<T> call(Request<T> request, long timeoutMillis) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = requests.submit(() -> {
                try {
                    result.complete(request.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IOException("control plane member " + self + " is closed"));
            return result;
        }
        result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (e != null) {
                task.cancel(true);
            }
        });
        return result;
    }

    /** This member's own copy of the state, possibly stale: for status pages, never for decisions. */
    public ControlState localState() {
        return machine.state();
    }

    /**
     * Commits {@code command} within {@link ControlTiming#requestMillis()}; completes with the new state, or
     * exceptionally with {@link ControlCommand.Rejected} when it did not fit the state, or a timeout without a majority.
     */
    public CompletableFuture<ControlState> submit(ControlCommand command) {
        return submit(command, timing.requestMillis());
    }

    /** As {@link #submit(ControlCommand)}, given up after {@code timeoutMillis} (a lease renewal's attempt is short). */
    public CompletableFuture<ControlState> submit(ControlCommand command, long timeoutMillis) {
        Message message = Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(command.encode()));
        return call(() -> {
            String text = content(client.io().send(message));
            if (text.startsWith("OK ")) {
                return ControlState.decode(text.substring(3).getBytes(StandardCharsets.UTF_8));
            }
            throw new ControlCommand.Rejected(text.startsWith("REJECTED ") ? text.substring(9) : text);
        }, timeoutMillis);
    }

    /** True while this member leads the Raft group (so a lease renewal needs no other member's election). */
    public boolean leads() {
        try {
            return server.getDivision(groupId).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * How this member sees the Raft group now, from its own memory (no request): its role and, when it leads, how
     * long ago each other member last answered and how far its log matches the leader's. For status pages and tests.
     */
    public ControlHealth health() {
        try {
            var info = server.getDivision(groupId).getInfo();
            var role = info.getRoleInfoProto();
            java.util.Map<String, ControlHealth.Member> members = new java.util.TreeMap<>();
            if (info.isLeader() && role.hasLeaderInfo()) {
                long[] match = info.getFollowerMatchIndices();
                var followers = role.getLeaderInfo().getFollowerInfoList();
                for (int i = 0; i < followers.size(); i++) {
                    var f = followers.get(i);
                    members.put(f.getId().getId().toStringUtf8(),
                        new ControlHealth.Member(f.getLastRpcElapsedTimeMs(), i < match.length ? match[i] : -1));
                }
            }
            RaftPeerId leader = info.getLeaderId();
            return new ControlHealth(info.getCurrentRole().name().toLowerCase(), leader == null ? null : leader.toString(),
                info.getCurrentTerm(), info.getLastAppliedIndex(), members);
        } catch (IOException | RuntimeException e) {
            return new ControlHealth("unknown", null, -1, -1, java.util.Map.of());
        }
    }

    /**
     * Asks the Raft group to make this member its leader: the primary leads, so that losing the backup or the
     * witness never makes it wait for an election to renew its lease. Completes when done or refused.
     */
    public CompletableFuture<Void> lead(long timeoutMillis) {
        return call(() -> {
            checked(client.admin().transferLeadership(RaftPeerId.valueOf(self), timeoutMillis));
            return null;
        }, timeoutMillis + timing.attemptMillis());
    }

    private static String content(RaftClientReply reply) throws IOException {
        return checked(reply).getMessage().getContent().toStringUtf8();
    }

    private static RaftClientReply checked(RaftClientReply reply) throws IOException {
        if (!reply.isSuccess()) {
            throw reply.getException() != null ? reply.getException() : new IOException("control plane request failed");
        }
        return reply;
    }

    @Override
    public CompletableFuture<Void> commitInSync(int epoch, Set<String> nodes) {
        return submit(new ControlCommand.SetInSync(epoch, self, nodes)).thenApply(s -> null);
    }

    @Override
    public void close() throws IOException {
        requests.shutdownNow();
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
