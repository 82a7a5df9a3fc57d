package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault suite's process crashes: a real pair (three JVMs) behind a real HAProxy, via haproxy/pair.sh. */
class PairCrashIT {

    @TempDir
    Path dir;

    @Test
    void noFault() throws Exception {
        FaultScenario.run("no fault", dir, 5_000, pair -> FaultScenario.sleep(2000));
    }

    @Test
    void killPrimary() throws Exception {
        FaultScenario.run("kill -9 primary", dir, 15_000, pair -> {
            String primary = pair.primary();
            assertThat(primary).isNotNull();
            pair.kill9(primary);
            String other = primary.equals("a") ? "b" : "a";
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> other.equals(pair.primary()));
            // the old primary comes back: it cuts its unconfirmed tail and follows; no failback
            pair.startNode(primary);
        });
    }

    @Test
    void killBackup() throws Exception {
        FaultScenario.run("kill -9 backup", dir, 8_000, pair -> {
            String primary = pair.primary();
            assertThat(primary).isNotNull();
            pair.kill9(primary.equals("a") ? "b" : "a");
        });
    }
}
