package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntryArrivalsTest {

    @Test
    void theFirstSampleHoldingTheEntryOfTheSameTermCounts() {
        EntryArrivals a = new EntryArrivals();
        a.sample(1, 10, 100);
        a.sample(1, 12, 200);
        a.sample(1, 15, 300);
        a.sample(2, 16, 400);
        assertThat(a.heldSince(1, 12, 1000)).isEqualTo(200);
        assertThat(a.heldSince(1, 11, 1000)).isEqualTo(200);
        assertThat(a.heldSince(1, 10, 1000)).isEqualTo(100);
        // an entry of term 2 at 16 was held only from the sample that showed term 2
        assertThat(a.heldSince(2, 16, 1000)).isEqualTo(400);
    }

    @Test
    void withoutASampleShowingTheEntryTheFallbackCounts() {
        EntryArrivals a = new EntryArrivals();
        assertThat(a.heldSince(1, 5, 1000)).isEqualTo(1000);
        a.sample(1, 4, 100);
        assertThat(a.heldSince(1, 5, 1000)).isEqualTo(1000);
        // a later term at a higher index says nothing about an entry of term 1 it may have replaced
        a.sample(2, 9, 200);
        assertThat(a.heldSince(1, 5, 1000)).isEqualTo(1000);
        assertThat(a.heldSince(-1, -1, 1000)).isEqualTo(1000);
        assertThat(a.heldSince(2, 9, 150)).isEqualTo(150);
    }

    @Test
    void onlyTheLastSamplesAreKept() {
        EntryArrivals a = new EntryArrivals();
        for (int i = 0; i < EntryArrivals.SIZE + 10; i++) {
            a.sample(1, i, i * 10L);
        }
        assertThat(a.heldSince(1, 0, 1_000_000)).isEqualTo(10 * 10L);
        assertThat(a.heldSince(1, EntryArrivals.SIZE + 9, 1_000_000)).isEqualTo((EntryArrivals.SIZE + 9) * 10L);
    }
}
