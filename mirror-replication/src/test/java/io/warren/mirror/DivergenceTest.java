package io.warren.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.store.log.EpochHistory.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceTest {

    private static final List<Entry> PRIMARY = List.of(new Entry(1, 0), new Entry(2, 1000), new Entry(4, 5000));

    private static Frames.Hello hello(long start, long end, Entry... epochs) {
        return new Frames.Hello("p", "b", start, end, List.of(epochs));
    }

    @Test
    void aBackupOfTheSameEpochKeepsEverythingItHas() {
        assertThat(Divergence.decide(4, PRIMARY, 0, 9000, hello(0, 7000, new Entry(1, 0), new Entry(2, 1000), new Entry(4, 5000))))
            .isEqualTo(new Frames.Start(4, Frames.Start.KEEP, 7000));
    }

    @Test
    void aBackupWithAnEpochThePrimaryNeverSawCutsWhereTheNextEpochStartsHere() {
        assertThat(Divergence.decide(4, PRIMARY, 0, 9000, hello(0, 6000, new Entry(1, 0), new Entry(2, 1000), new Entry(3, 4000))))
            .isEqualTo(new Frames.Start(4, Frames.Start.KEEP, 5000));
    }

    @Test
    void anEmptyBackupStartsWhereThePrimaryDoesOrTakesAFullCopy() {
        assertThat(Divergence.decide(4, PRIMARY, 0, 9000, hello(0, 0))).isEqualTo(new Frames.Start(4, Frames.Start.KEEP, 0));
        assertThat(Divergence.decide(4, PRIMARY, 2048, 9000, hello(0, 0))).isEqualTo(new Frames.Start(4, Frames.Start.RESET, 2048));
        assertThat(Divergence.decide(4, PRIMARY, 2048, 9000, hello(0, 900, new Entry(1, 0))))
            .isEqualTo(new Frames.Start(4, Frames.Start.RESET, 2048));
    }

    @Test
    void aBackupOfANewerEpochOrAnotherHistoryIsRefused() {
        assertThatThrownBy(() -> Divergence.decide(4, PRIMARY, 0, 9000, hello(0, 6000, new Entry(5, 10))))
            .isInstanceOf(Divergence.Refused.class).hasMessageContaining("this primary is stale");
        assertThatThrownBy(() -> Divergence.decide(4, PRIMARY, 0, 9000, hello(0, 6000, new Entry(1, 0), new Entry(2, 1200))))
            .isInstanceOf(Divergence.Refused.class).hasMessageContaining("belongs to another history");
    }
}
