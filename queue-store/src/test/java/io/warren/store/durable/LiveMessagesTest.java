package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveMessagesTest {

    @Test
    void oldestFollowsRemovalsAndHolesAreSqueezedOut() {
        LiveMessages live = new LiveMessages();
        for (long p = 0; p < 100_000; p++) {
            live.add(p * 10, 1);
        }
        assertThat(live.oldest(-1)).isZero();
        for (long p = 1; p < 100_000; p++) {
            live.remove(p * 10); // holes behind a live head
        }
        assertThat(live.size()).isEqualTo(1);
        assertThat(live.oldest(-1)).isZero();
        live.add(2_000_000, 1); // may squeeze
        live.remove(0);
        assertThat(live.oldest(-1)).isEqualTo(2_000_000);
        live.remove(2_000_000);
        live.remove(2_000_000); // twice: ignored
        assertThat(live.size()).isZero();
        assertThat(live.oldest(-1)).isEqualTo(-1);
    }

    @Test
    void sharedPublishLivesUntilEveryQueueLetsGo() {
        LiveMessages live = new LiveMessages();
        live.add(5, 2);
        live.remove(5);
        assertThat(live.oldest(-1)).isEqualTo(5);
        live.remove(5);
        assertThat(live.oldest(-1)).isEqualTo(-1);
    }

    @Test
    void recoveredQueuesMergeAndCount() {
        LiveMessages live = new LiveMessages();
        live.addRecovered(new long[] {30, 10, 50}, 3);
        live.addRecovered(new long[] {20, 30, 40}, 3);
        assertThat(live.size()).isEqualTo(5);
        live.remove(10);
        live.remove(20);
        live.remove(30);
        assertThat(live.oldest(-1)).isEqualTo(30); // still held by the other queue
        live.remove(30);
        assertThat(live.oldest(-1)).isEqualTo(40);
        live.add(60, 1);
        live.add(45, 1); // out of order: inserted
        live.remove(40);
        assertThat(live.oldest(-1)).isEqualTo(45);
        assertThat(live.size()).isEqualTo(3);
    }
}
