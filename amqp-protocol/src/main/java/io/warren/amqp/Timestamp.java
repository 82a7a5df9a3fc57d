package io.warren.amqp;

import java.time.Instant;

/** A field-table value of type 'T': seconds since the epoch, as AMQP has it. Immutable: any thread. */
public record Timestamp(long seconds) {

    public static Timestamp of(Instant instant) {
        return new Timestamp(instant.getEpochSecond());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds);
    }
}
