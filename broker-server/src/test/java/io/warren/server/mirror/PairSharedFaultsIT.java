package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults after which the pair heals by itself, run one after the other on one pair (starting a pair costs more
 * than a scenario): each begins once both data nodes are in sync again. Pauses are SIGSTOP/SIGCONT; the lease is 2 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PairSharedFaultsIT {

    private static Path dir;
    private static LocalPair pair;

    @BeforeAll
    static void startPair() throws Exception {
        dir = Files.createTempDirectory("warren-pair-shared");
        pair = LocalPair.start(dir);
    }

    @AfterAll
    static void stopPair() throws Exception {
        try {
            if (pair != null) {
                pair.close();
            }
        } finally {
            if (!Boolean.getBoolean("warren.pair.keep")) { // -Dwarren.pair.keep=true keeps the members' logs to look at
                LocalPair.deleteTree(dir);
            }
        }
    }

    @BeforeEach
    void healthy() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(pair::bothInSync);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(pair::controlPlaneSettled);
    }

    private static String backupOf(String primary) {
        return primary.equals("a") ? "b" : "a";
    }

    @Test
    @Order(1)
    void pausePrimaryShorterThanTheLease() throws Exception {
        // Shorter than the lease (2 s) and than the Raft election timeouts (500-800 ms): nobody notices. A pause longer
        // than the election timeouts moves the Raft leadership, and when that election and the pause together outlast
        // the lease the primary steps down and serves again in a new epoch (docs/replication.md).
        FaultScenario.run("SIGSTOP primary 0.5 s", pair, "q.short-pause", 6_000, p -> {
            String primary = p.primary();
            long epoch = p.epochSeenBy(primary);
            p.signal(primary, "STOP");
            FaultScenario.sleep(500);
            p.signal(primary, "CONT");
            FaultScenario.sleep(1000);
            assertThat(p.primary()).isEqualTo(primary);
            assertThat(p.epochSeenBy(primary)).isEqualTo(epoch).isPositive();
        });
    }

    @Test
    @Order(2)
    void killWitness() throws Exception {
        FaultScenario.run("kill witness", pair, "q.kill-witness", 5_000, p -> {
            String primary = p.primary();
            p.kill9("witness");
            FaultScenario.sleep(4000);
            assertThat(p.primary()).isEqualTo(primary); // a and b are still a majority
            p.startNode("witness");
        });
    }

    @Test
    @Order(3)
    void isolateWitness() throws Exception {
        FaultScenario.run("isolate witness", pair, "q.isolate-witness", 5_000, p -> {
            String primary = p.primary();
            p.isolate("witness");
            try {
                FaultScenario.sleep(4000);
                assertThat(p.primary()).isEqualTo(primary);
            } finally {
                p.heal();
            }
        });
    }

    @Test
    @Order(4)
    void isolateBackup() throws Exception {
        // The primary drops the backup from the in-sync set with the witness's vote (lag-timeout 2 s, then a Raft commit)
        // and goes on confirming alone, never stopping.
        FaultScenario.run("isolate backup", pair, "q.isolate-backup", 8000, p -> {
            String primary = p.primary();
            String backup = backupOf(primary);
            p.isolate(backup);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> p.inSyncSeenBy(primary).equals("[\"" + primary + "\"]"));
                FaultScenario.sleep(3000);
                assertThat(p.primary()).isEqualTo(primary);
            } finally {
                p.heal();
            }
        });
    }

    @Test
    @Order(5)
    void isolateBackupLeadingTheControlPlane() throws Exception {
        // As above, with the backup the Raft leader when it is cut off: the primary and the witness must elect a new
        // leader before the in-sync set can shrink, and the primary's lease must outlast that election. The primary
        // takes the leadership back only after a whole lease, so the cut comes well before.
        FaultScenario.run("isolate backup leading the control plane", pair, "q.isolate-backup-leader", 10_000, p -> {
            String primary = p.primary();
            String backup = backupOf(primary);
            // The primary asks for the leadership back a lease after losing it, and a transfer can cross an election
            // still settling from the scenario before: ask again until the backup is seen leading.
            Awaitility.await("leadership moved to the backup").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> ControlLeadership.transferTo(LocalPair.BASE, backup) && p.leadsControlPlane(backup));
            p.cutLink(backup, primary);
            p.cutLink(backup, "witness");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> p.inSyncSeenBy(primary).equals("[\"" + primary + "\"]"));
                FaultScenario.sleep(3000);
                assertThat(p.primary()).isEqualTo(primary);
            } finally {
                p.heal();
            }
        });
    }

    @Test
    @Order(6)
    void flappingLinkBetweenTheDataNodes() throws Exception {
        // The link between the data nodes goes down and up, for less and for more than the lag timeout (2 s); both still
        // reach the witness. The primary keeps serving (it and the witness are a majority); the backup drops out of the
        // in-sync set and joins again, and is never promoted.
        long[] cuts = {500, 2500, 300, 3000, 800, 1500, 200, 2200};
        FaultScenario.run("flapping link between the data nodes", pair, "q.flapping", 10_000, p -> {
            String primary = p.primary();
            String backup = backupOf(primary);
            try {
                for (long millis : cuts) {
                    p.cutLink(primary, backup);
                    FaultScenario.sleep(millis);
                    p.restoreLink(primary, backup);
                    FaultScenario.sleep(700);
                }
            } finally {
                p.restoreLink(primary, backup);
            }
            assertThat(p.primary()).isEqualTo(primary);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(p::bothInSync);
        });
    }

    @Test
    @Order(7)
    void pausePrimaryLongerThanTheLease() throws Exception {
        FaultScenario.run("SIGSTOP primary until the backup took over", pair, "q.long-pause", 20_000, p -> {
            String primary = p.primary();
            String other = backupOf(primary);
            p.signal(primary, "STOP");
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> p.primaryStatus(other) == 200);
            } finally {
                p.signal(primary, "CONT");
            }
            // the old primary wakes with a stale lease: 503 at once, and it closes its clients with 320
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> p.primaryStatus(primary) == 503);
        });
    }

    @Test
    @Order(8)
    void killBackupThenPrimary() throws Exception {
        FaultScenario.run("kill backup then primary", pair, "q.double-failure", p -> {
            String primary = p.primary();
            String backup = backupOf(primary);
            p.kill9(backup);
            FaultScenario.sleep(8000); // the primary goes on alone, confirming what the backup never sees
            p.kill9(primary);
            p.startNode(backup);
            FaultScenario.sleep(12_000);
            assertThat(p.primaryStatus(backup)).as("a node lacking confirmed data serves").isNotEqualTo(200);
            p.startNode(primary);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> primary.equals(p.primary()));
        });
    }
}
