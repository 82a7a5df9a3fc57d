package io.warren.store.log;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests see and break the writer's I/O: count or delay fsyncs, or fail them like a dying disk. Writer thread. */
interface FaultHook {

    FaultHook NONE = new FaultHook() {
    };

    default void beforeWrite(Path segment) throws IOException {
    }

    default void beforeForce(Path segment) throws IOException {
    }
}
