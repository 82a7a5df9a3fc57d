package io.warren.mirror;

import io.warren.store.log.EpochHistory;
import java.util.List;

/**
 * Where a connecting backup's log parts from the primary's, from the two ⟨epoch, start⟩ histories (as
 * Kafka's leader epochs): the backup keeps everything below the end, on the primary, of the backup's
 * last epoch (and never more than it has), and cuts the rest, which no primary ever confirmed. When
 * the primary's log no longer reaches back that far, the backup must start over from the primary's
 * log start (a full copy). Stateless: any thread.
 */
final class Divergence {

    private Divergence() {
    }

    /**
     * The START to send, or throws {@link Refused} when the backup cannot follow this primary at all.
     *
     * @param epoch   the primary's current epoch
     * @param history the primary's epoch history
     */
    static Frames.Start decide(int epoch, List<EpochHistory.Entry> history, long start, long end, Frames.Hello hello) {
        List<EpochHistory.Entry> theirs = hello.epochs();
        // Where an epoch began is known for certain only above a log's start. At or below it, a log may say where the
        // epoch began (from before it deleted segments) or just where its first record is (opened after): all it tells
        // is that the epoch began at or below that log's start. The two nodes delete segments each on their own, so
        // their logs need not start at the same place.
        for (EpochHistory.Entry e : theirs) {
            if (Integer.compareUnsigned(e.epoch(), epoch) > 0) {
                throw new Refused("node " + hello.node() + " has records of epoch " + Integer.toUnsignedString(e.epoch())
                    + ", newer than this primary's epoch " + Integer.toUnsignedString(epoch) + ": this primary is stale");
            }
            boolean theirsKnown = e.start() > hello.logStart();
            for (EpochHistory.Entry mine : history) {
                if (mine.epoch() != e.epoch()) {
                    continue;
                }
                boolean mineKnown = mine.start() > start;
                boolean differ = mineKnown && theirsKnown ? mine.start() != e.start()
                    : mineKnown ? mine.start() > hello.logStart() // it began at or below the backup's start there
                    : theirsKnown && e.start() > start;
                if (differ) {
                    throw new Refused("the log of node " + hello.node() + " belongs to another history: its epoch "
                        + Integer.toUnsignedString(e.epoch()) + " starts at " + e.start() + ", here at " + mine.start());
                }
            }
        }
        long keep;
        if (theirs.isEmpty()) {
            // No records: it can go on from its end only where the primary's log starts (or both are empty).
            keep = hello.logEnd() == start ? start : -1;
        } else {
            int last = theirs.get(theirs.size() - 1).epoch();
            keep = Math.min(EpochHistory.endOf(history, last, end), hello.logEnd());
        }
        if (keep < start || keep < hello.logStart()) {
            return new Frames.Start(epoch, Frames.Start.RESET, start);
        }
        return new Frames.Start(epoch, Frames.Start.KEEP, keep);
    }

    /** The backup may not follow this primary; the message says why, for both nodes' logs. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
