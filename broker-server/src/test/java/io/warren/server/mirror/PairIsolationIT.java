package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault suite's network cuts between members (HAProxy and clients still reach every node). */
class PairIsolationIT {

    @TempDir
    Path dir;

    @Test
    void isolatePrimary() throws Exception {
        FaultScenario.run("isolate primary", dir, 15_000, pair -> {
            String primary = pair.primary();
            assertThat(primary).isNotNull();
            pair.isolate(primary);
            String other = primary.equals("a") ? "b" : "a";
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> other.equals(pair.primary()));
            } finally {
                pair.heal();
            }
        });
    }
}
