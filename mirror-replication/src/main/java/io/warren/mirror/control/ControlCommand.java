package io.warren.mirror.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes the control plane's state machine applies, each checked against the current state so that
 * a stale node's request is refused rather than applied: only an in-sync node becomes primary, and only
 * the primary of the current epoch changes its in-sync set or renews its lease. Encoded as one line of
 * text. Immutable: any thread.
 */
public sealed interface ControlCommand {

    /** The new state, or throws {@link Rejected} (the reply says why). */
    ControlState apply(ControlState s);

    byte[] encode();

    /**
     * {@code node} becomes primary of epoch {@code expectedEpoch + 1}; its in-sync set is itself alone. The pair's first
     * promotion also names its history ({@code history}, a fresh random id); later ones keep the one there is.
     */
    record Promote(String node, int expectedEpoch, String history) implements ControlCommand {
        public Promote {
            if (history != null && (history.isBlank() || history.contains(" ") || history.equals("-"))) {
                throw new IllegalArgumentException("bad history id '" + history + "'");
            }
        }

        /** A promotion that names a fresh history, used only if the pair has none yet. */
        public Promote(String node, int expectedEpoch) {
            this(node, expectedEpoch, java.util.UUID.randomUUID().toString());
        }

        @Override
        public ControlState apply(ControlState s) {
            if (s.epoch() != expectedEpoch) {
                throw new Rejected("epoch is " + Integer.toUnsignedString(s.epoch()) + ", not " + Integer.toUnsignedString(expectedEpoch));
            }
            if (s.epoch() != 0 && !s.inSync(node)) {
                throw new Rejected("node " + node + " is not in sync in epoch " + Integer.toUnsignedString(s.epoch()));
            }
            return new ControlState(s.epoch() + 1, node, Set.of(node), 0, s.history() != null ? s.history() : history);
        }

        @Override
        public byte[] encode() {
            return line("PROMOTE " + node + " " + Integer.toUnsignedString(expectedEpoch) + (history == null ? "" : " " + history));
        }
    }

    /** The primary of {@code epoch} sets its in-sync set (which must hold the primary). */
    record SetInSync(int epoch, String primary, Set<String> nodes) implements ControlCommand {
        public SetInSync {
            nodes = Set.copyOf(nodes);
            if (!nodes.contains(primary)) {
                throw new IllegalArgumentException("the in-sync set must hold the primary " + primary);
            }
        }

        @Override
        public ControlState apply(ControlState s) {
            checkPrimary(s, epoch, primary);
            return new ControlState(s.epoch(), s.primary(), nodes, s.renewals(), s.history());
        }

        @Override
        public byte[] encode() {
            return line("INSYNC " + Integer.toUnsignedString(epoch) + " " + primary + " " + String.join(",", new TreeSet<>(nodes)));
        }
    }

    /** The primary of {@code epoch} is alive and holds a majority. */
    record Renew(int epoch, String primary) implements ControlCommand {
        @Override
        public ControlState apply(ControlState s) {
            checkPrimary(s, epoch, primary);
            return new ControlState(s.epoch(), s.primary(), s.inSync(), s.renewals() + 1, s.history());
        }

        @Override
        public byte[] encode() {
            return line("RENEW " + Integer.toUnsignedString(epoch) + " " + primary);
        }
    }

    private static void checkPrimary(ControlState s, int epoch, String primary) {
        if (s.epoch() != epoch || !primary.equals(s.primary())) {
            throw new Rejected("node " + primary + " is not the primary of the current epoch ("
                + Integer.toUnsignedString(s.epoch()) + ", primary " + s.primary() + ")");
        }
    }

    private static byte[] line(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ControlCommand decode(byte[] bytes) {
        String[] f = new String(bytes, StandardCharsets.UTF_8).trim().split(" ");
        return switch (f[0]) {
            case "PROMOTE" -> new Promote(f[1], Integer.parseUnsignedInt(f[2]), f.length > 3 ? f[3] : null);
            case "INSYNC" -> new SetInSync(Integer.parseUnsignedInt(f[1]), f[2], Set.copyOf(Arrays.asList(f[3].split(","))));
            case "RENEW" -> new Renew(Integer.parseUnsignedInt(f[1]), f[2]);
            default -> throw new IllegalArgumentException("unknown control command " + f[0]);
        };
    }

    /** A command that does not fit the current state; nothing changed. */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
