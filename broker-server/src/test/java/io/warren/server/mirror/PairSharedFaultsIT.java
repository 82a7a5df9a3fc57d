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
 * than a scenario): each begins once both data nodes are in sync again. Pauses are SIGSTOP/SIGCONT; the lease is 5 s.
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
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void healthy() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(pair::bothInSync);
    }

    private static String backupOf(String primary) {
        return primary.equals("a") ? "b" : "a";
    }

    @Test
    @Order(1)
    void pausePrimaryShorterThanTheLease() throws Exception {
        FaultScenario.run("SIGSTOP primary 2 s", pair, "q.short-pause", p -> {
            String primary = p.primary();
            p.signal(primary, "STOP");
            FaultScenario.sleep(2000);
            p.signal(primary, "CONT");
            FaultScenario.sleep(1000);
            assertThat(p.primary()).isEqualTo(primary);
        });
    }

    @Test
    @Order(2)
    void killWitness() throws Exception {
        FaultScenario.run("kill witness", pair, "q.kill-witness", p -> {
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
        FaultScenario.run("isolate witness", pair, "q.isolate-witness", p -> {
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
    @Order(5)
    void pausePrimaryLongerThanTheLease() throws Exception {
        FaultScenario.run("SIGSTOP primary until the backup took over", pair, "q.long-pause", p -> {
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
    @Order(6)
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
