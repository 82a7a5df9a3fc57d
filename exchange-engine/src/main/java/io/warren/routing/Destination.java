package io.warren.routing;

import java.util.Objects;

/**
 * Where a binding delivers: a queue or another exchange, by name. Immutable; any thread.
 */
public record Destination(Kind kind, String name) {

    public enum Kind { QUEUE, EXCHANGE }

    public Destination {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Destination queue(String name) {
        return new Destination(Kind.QUEUE, name);
    }

    public static Destination exchange(String name) {
        return new Destination(Kind.EXCHANGE, name);
    }

    public boolean isQueue() {
        return kind == Kind.QUEUE;
    }
}
