package io.warren.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full on the backup, for real: the backup's log directory is a small tmpfs of its own, filled up while the
 * workload runs. The backup's log fails; the primary drops it from the in-sync set (with the witness's vote) and goes
 * on confirming alone; once space is back the backup opens its log again, catches up and rejoins. Mounting needs root
 * (CI runs as root).
 */
class PairDiskFullIT {

    @TempDir
    Path dir;

    @Test
    void diskFullOnTheBackup() throws Exception {
        Path backupLog = Files.createDirectories(dir.resolve("b/log")); // a is the first primary of a new pair, b its backup
        run(List.of("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", backupLog.toString()));
        try {
            try (LocalPair pair = LocalPair.start(dir)) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(pair::bothInSync);
                FaultScenario.run("disk full on the backup", pair, "q.disk-full", 10_000, p -> {
                    assertThat(p.primary()).isEqualTo("a");
                    Path filler = fill(backupLog.resolve("filler"));
                    try {
                        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                            .until(() -> p.inSyncSeenBy("a").equals("[\"a\"]"));
                        FaultScenario.sleep(3000);
                        assertThat(p.primary()).isEqualTo("a");
                    } finally {
                        Files.delete(filler);
                    }
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(p::bothInSync);
                });
                assertThat(Files.readString(dir.resolve("b.log"))).contains("No space left on device");
            }
        } finally {
            run(List.of("umount", "-l", backupLog.toString()));
        }
    }

    /** Writes zeros to {@code file} until the file system is full. */
    private static Path fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int size = chunk.length; size >= 512; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // go on with smaller pieces until not even 512 bytes fit
                }
            }
        } catch (IOException closing) {
            // the last buffered bytes did not fit either
        }
        return file;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
