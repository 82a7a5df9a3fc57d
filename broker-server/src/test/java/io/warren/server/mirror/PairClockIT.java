package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup's clock running fast: its JVM runs under libfaketime at twice real time (its wall clock, its monotonic
 * clock, its sleeps and timed waits), through pair.sh's PAIR_CLOCK_RATE_&lt;member&gt;.
 */
class PairClockIT {

    @TempDir
    Path dir;

    @Test
    void backupClockRunsTwiceAsFast() throws Exception {
        FaultScenario.run("backup's clock twice as fast, then kill -9 primary", dir, 15_000, pair -> {
            String primary = pair.primary();
            assertThat(primary).isNotNull();
            String backup = primary.equals("a") ? "b" : "a";
            pair.kill9(backup);
            pair.startNode(backup, Map.of("PAIR_CLOCK_RATE_" + backup, "2"));
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(pair::bothInSync);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(pair::controlPlaneSettled);
            // The primary renews its lease every lease/10 of real time: to the fast backup a renewal comes every
            // lease/5, well within lease + margin, so it never takes over from a primary that is alive.
            FaultScenario.sleep(10_000);
            assertThat(pair.primary()).as("primary after 10 s with a fast backup clock").isEqualTo(primary);
            assertThat(pair.bothInSync()).as("the fast backup stays in sync").isTrue();
            // The primary dies: the backup takes over after lease + margin of its own clock (about half as long in
            // real time), by a Raft-committed promotion like any other.
            pair.kill9(primary);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> backup.equals(pair.primary()));
            pair.startNode(primary);
        });
    }
}
