package io.warren.mirror.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control plane members (a, b and the witness) in one JVM over loopback gRPC. A request that must succeed is
 * retried while it only timed out (no leader yet: elections take longer on a busy 2-core machine); a refusal is final.
 */
class ControlPlaneIT {

    private static final ControlTiming TIMING = new ControlTiming(1000, 2000, 8000, 5);

    @TempDir
    Path dir;

    private final Map<String, ControlPlane> members = new HashMap<>();
    private List<ControlPlane.Peer> peers;
    private final Map<String, Integer> ports = new HashMap<>();

    @AfterEach
    void stop() throws IOException {
        for (ControlPlane m : members.values()) {
            m.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void startAll() throws IOException {
        peers = new ArrayList<>();
        // three different free ports: each socket stays open until all are picked (a closed one may be handed out again)
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String id : List.of("a", "b", "witness")) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports.put(id, s.getLocalPort());
                peers.add(new ControlPlane.Peer(id, "127.0.0.1:" + s.getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        for (String id : List.of("a", "b", "witness")) {
            start(id);
        }
    }

    private ControlPlane start(String id) throws IOException {
        ControlPlane m = ControlPlane.start("pair1", id, peers, dir.resolve(id), "127.0.0.1", ports.get(id), TIMING);
        members.put(id, m);
        return m;
    }

    private void stop(String id) throws IOException {
        members.remove(id).close();
    }

    private static ControlState get(java.util.concurrent.CompletableFuture<ControlState> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** {@code request} until it succeeds or is refused, for up to 2 minutes: only a missing majority is waited out. */
    private static <T> T eventually(Callable<CompletableFuture<T>> request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                return request.call().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ControlCommand.Rejected || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void onlyAnInSyncNodeIsPromotedAndOnlyTheCurrentPrimaryChangesTheInSyncSet() throws Exception {
        startAll();
        ControlPlane a = members.get("a");
        ControlPlane b = members.get("b");
        assertThat(eventually(a::read)).isEqualTo(ControlState.INITIAL);

        ControlState first = eventually(() -> a.submit(new ControlCommand.Promote("a", 0)));
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.primary()).isEqualTo("a");
        assertThat(first.inSync()).containsExactly("a");
        // b lost the race for epoch 1, and is not in sync: it cannot take over.
        assertThatThrownBy(() -> get(b.submit(new ControlCommand.Promote("b", 0))))
            .hasRootCauseInstanceOf(ControlCommand.Rejected.class).hasMessageContaining("epoch is 1");
        assertThatThrownBy(() -> get(b.submit(new ControlCommand.Promote("b", 1))))
            .hasMessageContaining("not in sync");
        assertThatThrownBy(() -> get(b.submit(new ControlCommand.SetInSync(1, "b", Set.of("b")))))
            .hasMessageContaining("not the primary");

        eventually(() -> a.commitInSync(1, Set.of("a", "b")));
        ControlState renewed = eventually(() -> a.submit(new ControlCommand.Renew(1, "a")));
        ControlState seenByB = eventually(b::read);
        assertThat(seenByB.inSync()).containsExactlyInAnyOrder("a", "b");
        assertThat(seenByB.renewals()).isEqualTo(renewed.renewals()).isPositive();

        ControlState second = eventually(() -> b.submit(new ControlCommand.Promote("b", 1)));
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(second.primary()).isEqualTo("b");
        assertThat(second.inSync()).containsExactly("b");
        // The old primary's requests of epoch 1 are refused from now on.
        assertThatThrownBy(() -> get(a.submit(new ControlCommand.Renew(1, "a")))).hasMessageContaining("not the primary");
        assertThatThrownBy(() -> a.commitInSync(1, Set.of("a")).get(30, TimeUnit.SECONDS)).hasMessageContaining("not the primary");
    }

    @Test
    void twoMembersOfThreeDecideAndOneAloneCannot() throws Exception {
        startAll();
        eventually(() -> members.get("a").submit(new ControlCommand.Promote("a", 0)));
        stop("b");
        ControlPlane a = members.get("a");
        eventually(() -> a.commitInSync(1, Set.of("a"))); // a and the witness are a majority
        stop("witness");
        long started = System.nanoTime();
        // each fails with a timeout once its 8 s are up (not hanging): 60 s leaves room for a slow machine
        assertThatThrownBy(() -> a.commitInSync(1, Set.of("a")).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThatThrownBy(() -> get(a.read())).isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(60);
    }

    @Test
    void theStateSurvivesRestartsFromSnapshots() throws Exception {
        startAll();
        ControlPlane a = members.get("a");
        eventually(() -> a.submit(new ControlCommand.Promote("a", 0)));
        eventually(() -> a.commitInSync(1, Set.of("a", "b")));
        for (int i = 0; i < 12; i++) { // more than the snapshot threshold of 5
            eventually(() -> a.submit(new ControlCommand.Renew(1, "a")));
        }
        ControlState before = eventually(a::read);
        assertThat(before.renewals()).isGreaterThanOrEqualTo(12); // a renewal that timed out but committed counts too
        for (String id : List.of("a", "b", "witness")) {
            stop(id);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("witness"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot."));
        }
        for (String id : List.of("a", "b", "witness")) {
            start(id);
        }
        ControlState after = eventually(members.get("b")::read);
        assertThat(after.epoch()).isEqualTo(1);
        assertThat(after.primary()).isEqualTo("a");
        assertThat(after.inSync()).containsExactlyInAnyOrder("a", "b");
        assertThat(after.renewals()).isEqualTo(before.renewals());
    }

    @Test
    void aMemberThatMissedWhatTheOthersPurgedCatchesUpFromTheirSnapshotAndVotesAgain() throws Exception {
        startAll();
        ControlPlane a = members.get("a");
        eventually(() -> a.submit(new ControlCommand.Promote("a", 0)));
        eventually(() -> a.commitInSync(1, Set.of("a", "b")));
        eventually(b()::read);
        stop("b");
        // a and the witness go on; past the threshold of 5 they snapshot and purge their Raft logs below it (whole
        // closed segments only: restarting them closes the open ones), so b's missing entries exist only in a
        // snapshot, which the leader must install on b
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 12; i++) {
                eventually(() -> members.get("a").submit(new ControlCommand.Renew(1, "a")));
            }
            stop("a");
            stop("witness");
            start("a");
            start("witness");
        }
        for (int i = 0; i < 12; i++) {
            eventually(() -> members.get("a").submit(new ControlCommand.Renew(1, "a")));
        }
        ControlPlane a2 = members.get("a");
        ControlState before = eventually(a2::read);
        start("b");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (b().localState().renewals() < before.renewals() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(b().localState().renewals()).isGreaterThanOrEqualTo(before.renewals());
        assertThat(b().localState().inSync()).containsExactlyInAnyOrder("a", "b");
        // b takes snapshots of its own past the installed one, and its Raft log is purged below them; restarted, it
        // must start from its newest snapshot, not from the installed older one (below what its log still holds)
        for (int i = 0; i < 12; i++) {
            eventually(() -> a2.submit(new ControlCommand.Renew(1, "a")));
        }
        ControlState beforeRestart = eventually(a2::read);
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (b().localState().renewals() < beforeRestart.renewals() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        stop("b");
        start("b");
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (b().localState().renewals() < beforeRestart.renewals() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(b().localState().renewals()).isGreaterThanOrEqualTo(beforeRestart.renewals());
        // b's Raft member runs and applies: with the witness gone, a and b are the majority that commits and reads
        stop("witness");
        ControlState later = eventually(() -> a2.submit(new ControlCommand.Renew(1, "a")));
        assertThat(later.renewals()).isGreaterThan(beforeRestart.renewals());
        assertThat(eventually(b()::read).renewals()).isGreaterThanOrEqualTo(later.renewals());
        // Ratis starts a member from the newest snapshot that has its MD5 file: every snapshot taken must have one, or
        // an older installed snapshot (which has) is loaded instead, below the Raft log the member already purged
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> snapshots = files.filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
            assertThat(snapshots).isNotEmpty();
            assertThat(snapshots).allSatisfy(f -> assertThat(f.resolveSibling(f.getFileName() + ".md5")).exists());
        }
    }

    private ControlPlane b() {
        return members.get("b");
    }

    @Test
    void aSecondMemberWithATakenIdAndAMemberOfAnotherPairAreRefusedAtStart() throws Exception {
        startAll();
        eventually(() -> members.get("a").submit(new ControlCommand.Promote("a", 0)));
        // a second 'a' listening elsewhere: the first one answers where the others reach 'a'
        int elsewhere = freePort();
        assertThatThrownBy(() -> ControlPlane.start("pair1", "a", peers, dir.resolve("a-twin"), "127.0.0.1", elsewhere, TIMING))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("another process already answers as member 'a' of pair 'pair1'")
            .hasMessageContaining("two nodes have one id");
        // b configured for another pair: a and the witness answer, but not for that pair
        stop("b");
        assertThatThrownBy(() -> ControlPlane.start("pair2", "b", peers, dir.resolve("b-other"), "127.0.0.1", ports.get("b"), TIMING))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("member 'b' is configured for pair 'pair2', but members 'a'")
            .hasMessageContaining("answer for another pair");
        // the right b starts again and the pair decides as before
        start("b");
        assertThat(eventually(members.get("b")::read).primary()).isEqualTo("a");
    }
}
