package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteHistoryTest {

    private static final long MS = 1_000_000L;

    @Test
    void lagCountsTheBatchesTheBackupLacks() {
        WriteHistory h = new WriteHistory(100, 10, 0);
        h.add(200, 20, 10 * MS);   // batch of 10 records written at 10 ms
        h.add(300, 25, 20 * MS);   // 5 more at 20 ms
        assertThat(h.lag(300, 50 * MS)).isEqualTo(ReplicationLag.NONE);
        assertThat(h.lag(200, 50 * MS)).isEqualTo(new ReplicationLag(5, 100, 30));
        assertThat(h.lag(100, 50 * MS)).isEqualTo(new ReplicationLag(15, 200, 40));
        // inside a batch: records from the batch's start (over by at most that batch), time of that batch
        assertThat(h.lag(250, 50 * MS)).isEqualTo(new ReplicationLag(5, 50, 30));
    }

    @Test
    void aBackupBehindTheHistoryCountsFromItsStart() {
        WriteHistory h = new WriteHistory(1000, 0, 5 * MS);
        h.add(1500, 7, 8 * MS);
        assertThat(h.lag(400, 9 * MS)).isEqualTo(new ReplicationLag(7, 1100, 4));
    }

    @Test
    void passedSamplesAreDroppedButTheLagStaysRight() {
        WriteHistory h = new WriteHistory(0, 0, 0);
        for (int i = 1; i <= 1000; i++) {
            h.add(i * 100L, i, i * 2 * MS);
        }
        h.passed(50_000);
        assertThat(h.lag(50_000, 2000 * MS)).isEqualTo(new ReplicationLag(500, 50_000, 2000 - 1002));
        assertThat(h.written()).isEqualTo(100_000);
    }

    @Test
    void samplesWithinAMillisecondMerge() {
        WriteHistory h = new WriteHistory(0, 0, 0);
        h.add(100, 1, 10 * MS);
        h.add(200, 2, 10 * MS + 10);
        h.add(300, 3, 10 * MS + 20);
        // one merged sample: records counted from the one before it (over by the merged batch's first record)
        assertThat(h.lag(100, 20 * MS)).isEqualTo(new ReplicationLag(3, 200, 10));
        assertThat(h.written()).isEqualTo(300);
    }

    @Test
    void aFullHistoryIsThinnedNotUnbounded() {
        WriteHistory h = new WriteHistory(0, 0, 0);
        int n = (1 << 18) + 10;
        for (int i = 1; i <= n; i++) {
            h.add(i * 10L, i, i * 2 * MS);
        }
        ReplicationLag lag = h.lag(0, (n * 2L + 1) * MS);
        assertThat(lag.bytes()).isEqualTo(n * 10L);
        assertThat(lag.records()).isEqualTo(n);
        assertThat(h.written()).isEqualTo(n * 10L);
    }
}
