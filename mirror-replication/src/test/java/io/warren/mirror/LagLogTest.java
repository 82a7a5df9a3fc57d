package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LagLogTest {

    private static final long S = 1_000_000_000L;
    private final Logger logger = (Logger) LoggerFactory.getLogger(LagLog.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    private List<String> take() {
        List<String> out = lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        lines.list.clear();
        return out;
    }

    @Test
    void aLineWhenTheLagCrossesTheBoundWhileAboveAndOnceAMinute() {
        LagLog log = new LagLog(0);
        ReplicationLag small = new ReplicationLag(3, 300, 5);
        ReplicationLag big = new ReplicationLag(1000, 2 << 20, 1500);
        log.check(S, "b", true, InSyncTracker.State.IN, small);
        assertThat(take()).isEmpty();
        log.check(2 * S, "b", true, InSyncTracker.State.IN, big);
        assertThat(take()).containsExactly("WARN Backup b is behind: 1000 records, 2097152 bytes, 1500 ms (connected, in)");
        log.check(5 * S, "b", true, InSyncTracker.State.IN, big);
        assertThat(take()).isEmpty();
        log.check(12 * S, "b", false, InSyncTracker.State.OUT, big);
        assertThat(take()).containsExactly("WARN Backup b is still behind: 1000 records, 2097152 bytes, 1500 ms "
            + "(not connected, out)");
        log.check(13 * S, "b", true, InSyncTracker.State.IN, ReplicationLag.NONE);
        assertThat(take()).containsExactly("INFO Backup b caught up: lag 0 records, 0 bytes, 0 ms (connected, in)");
        log.check(60 * S, "b", true, InSyncTracker.State.IN, small);
        assertThat(take()).isEmpty();
        log.check(74 * S, "b", true, InSyncTracker.State.IN, small);
        assertThat(take()).containsExactly("INFO Replication to backup b: connected, in, lag 3 records, 300 bytes, 5 ms");
        log.check(200 * S, null, false, InSyncTracker.State.OUT, null);
        assertThat(take()).containsExactly("INFO Replication to backup (none yet): not connected, out, lag unknown");
    }
}
