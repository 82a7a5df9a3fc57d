package io.warren.store.log;

import java.io.IOException;

/** No intact record where one was expected: a bad position, or bytes damaged after the log was opened. Immutable. */
public final class CorruptRecordException extends IOException {

    public CorruptRecordException(String message) {
        super(message);
    }
}
