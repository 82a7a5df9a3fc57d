package io.warren.store;

/** What a queue at its {@code x-max-length} / {@code x-max-length-bytes} does with one more message ({@code x-overflow}). */
public enum Overflow {
    /** The oldest ready messages are dropped (dead-lettered with reason {@code maxlen} if the queue has a DLX). */
    DROP_HEAD("drop-head"),
    /** The new message is refused: a confirming publisher gets {@code basic.nack}. */
    REJECT_PUBLISH("reject-publish"),
    /** As {@link #REJECT_PUBLISH}, and the refused message is dead-lettered. */
    REJECT_PUBLISH_DLX("reject-publish-dlx");

    private final String argument;

    Overflow(String argument) {
        this.argument = argument;
    }

    /** The value of the {@code x-overflow} argument. */
    public String argument() {
        return argument;
    }

    /** The value for an {@code x-overflow} argument, or null if there is none. */
    public static Overflow of(String argument) {
        for (Overflow o : values()) {
            if (o.argument.equals(argument)) {
                return o;
            }
        }
        return null;
    }
}
