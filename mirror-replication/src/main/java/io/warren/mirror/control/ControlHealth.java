package io.warren.mirror.control;

import java.util.Map;

/**
 * One member's view of the control plane's Raft group at one moment. Immutable.
 *
 * @param role        "leader", "follower", "candidate", or "unknown" when the member is closed
 * @param leader      the member it takes for the leader, or null while none is known
 * @param term        the Raft term
 * @param lastApplied the index of the last command this member applied
 * @param members     when it leads: every other member by id, else empty
 */
public record ControlHealth(String role, String leader, long term, long lastApplied, Map<String, Member> members) {

    /**
     * The leader's view of another member.
     *
     * @param lastContactMillis how long ago it last answered the leader
     * @param matchIndex        the last index of the leader's log that it is known to hold
     */
    public record Member(long lastContactMillis, long matchIndex) {
    }

    /** Whether this member leads and every other member answered within {@code millis} and holds all it applied. */
    public boolean allCaughtUp(long millis) {
        return "leader".equals(role) && !members.isEmpty() && members.values().stream()
            .allMatch(m -> m.lastContactMillis() <= millis && m.matchIndex() >= lastApplied);
    }
}
