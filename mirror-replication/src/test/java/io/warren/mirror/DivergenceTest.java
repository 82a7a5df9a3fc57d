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

    @Test
    void epochStartsAtEitherLogsStartSayNothingAboutTheHistory() {
        // the primary deleted its segments up to 2048, the backup up to 4096: each log starts epoch 1 at its own start
        List<Entry> primary = List.of(new Entry(1, 2048), new Entry(2, 5000));
        assertThat(Divergence.decide(2, primary, 2048, 9000, hello(4096, 6000, new Entry(1, 4096))))
            .isEqualTo(new Frames.Start(2, Frames.Start.KEEP, 5000));
        // and the other way round
        List<Entry> later = List.of(new Entry(1, 4096), new Entry(2, 5000));
        assertThat(Divergence.decide(2, later, 4096, 9000, hello(2048, 6000, new Entry(1, 2048))))
            .isEqualTo(new Frames.Start(2, Frames.Start.KEEP, 5000));
        // a primary that deleted its first segments while running still knows where epoch 1 began; a backup that took a
        // full copy and deleted segments since starts epoch 1 below its log start
        List<Entry> remembered = List.of(new Entry(1, 0), new Entry(2, 9000));
        assertThat(Divergence.decide(2, remembered, 4096, 9500, hello(6144, 7000, new Entry(1, 5000))))
            .isEqualTo(new Frames.Start(2, Frames.Start.KEEP, 7000));
        // known on one side, bounded on the other: it cannot have begun above the start of the log that lacks it
        assertThatThrownBy(() -> Divergence.decide(2, List.of(new Entry(1, 0), new Entry(2, 5000)), 0, 9000,
            hello(4096, 6000, new Entry(2, 4096)))).isInstanceOf(Divergence.Refused.class);
        // above both starts, a different start of the same epoch is another history still
        assertThatThrownBy(() -> Divergence.decide(2, primary, 2048, 9000, hello(2048, 6000, new Entry(1, 2048),
            new Entry(2, 5100)))).isInstanceOf(Divergence.Refused.class).hasMessageContaining("belongs to another history");
    }
}
