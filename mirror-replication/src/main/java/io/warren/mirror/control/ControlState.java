package io.warren.mirror.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the pair's majority has agreed: the current epoch, its primary, the in-sync set, and how many
 * times that primary has renewed its lease (a backup watches the count move), and the id of the pair's history.
 * Immutable: any thread. Encoded as one line of text:
 * {@code epoch primary inSync(comma-separated) renewals history}, "-" for none (a state written before the history
 * existed has no fifth field).
 *
 * @param epoch    0 before any node was ever primary; each promotion makes a new, higher one
 * @param primary  the primary of {@code epoch}, or null in epoch 0
 * @param inSync   the data nodes that have every confirmed record of this epoch (always holds the primary)
 * @param renewals lease renewals by the primary in this epoch
 * @param history  chosen by the pair's first promotion, kept ever after: a data node whose log was written under
 *                 another history (another pair's, or this pair's before it was started afresh) is refused; null in epoch 0
 */
public record ControlState(int epoch, String primary, Set<String> inSync, long renewals, String history) {

    public static final ControlState INITIAL = new ControlState(0, null, Set.of(), 0, null);

    public ControlState {
        inSync = Set.copyOf(inSync);
    }

    public boolean inSync(String node) {
        return inSync.contains(node);
    }

    public byte[] encode() {
        String sync = inSync.isEmpty() ? "-" : String.join(",", new TreeSet<>(inSync));
        return (Integer.toUnsignedString(epoch) + " " + (primary == null ? "-" : primary) + " " + sync + " " + renewals
            + " " + (history == null ? "-" : history)).getBytes(StandardCharsets.UTF_8);
    }

    public static ControlState decode(byte[] bytes) {
        String[] f = new String(bytes, StandardCharsets.UTF_8).trim().split(" ");
        if (f.length != 4 && f.length != 5) {
            throw new IllegalArgumentException("bad control state: " + new String(bytes, StandardCharsets.UTF_8));
        }
        Set<String> sync = f[2].equals("-") ? Set.of() : Set.copyOf(Arrays.asList(f[2].split(",")));
        String history = f.length < 5 || f[4].equals("-") ? null : f[4];
        return new ControlState(Integer.parseUnsignedInt(f[0]), f[1].equals("-") ? null : f[1], sync, Long.parseLong(f[3]), history);
    }

    @Override
    public String toString() {
        return "epoch " + Integer.toUnsignedString(epoch) + ", primary " + primary + ", in sync " + new TreeSet<>(inSync);
    }
}
