package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.warren.store.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spilled message comes back with everything a queue needs, including its arrival and its own expiry. */
class TransientStoreTest {

    @TempDir
    Path dir;

    @Test
    void aMessageSpilledByTwoQueuesIsWrittenOnceAndKeptUntilBothReadIt() throws Exception {
        try (TransientStore spill = TransientStore.open(dir, TransientStore.SEGMENT_BYTES)) {
            Message m = new Message(-1, "ex", "rk", Unpooled.copiedBuffer("props", StandardCharsets.UTF_8),
                    Unpooled.copiedBuffer("body", StandardCharsets.UTF_8), false, 0);
            long first = spill.write(m);
            long end = spill.log().endPosition();
            long second = spill.write(m);
            long third = spill.write(m);
            assertThat(second).isEqualTo(first);
            assertThat(third).isEqualTo(first);
            assertThat(spill.log().endPosition()).as("nothing more appended").isEqualTo(end);
            spill.read(first).release();
            spill.discard(first);
            assertThat(spill.liveMessages()).isEqualTo(1);
            spill.read(first).release();
            assertThat(spill.liveMessages()).isZero();
            // no queue holds the copy any more: the next queue to spill the message writes it again
            long again = spill.write(m);
            assertThat(again).isGreaterThan(first);
            spill.discard(again);
            m.release();
        }
    }

    @Test
    void spilledMessagesKeepArrivalAndExpiry() throws Exception {
        try (TransientStore spill = TransientStore.open(dir, TransientStore.SEGMENT_BYTES)) {
            Message m = new Message(-1, "ex", "rk", Unpooled.copiedBuffer("props", StandardCharsets.UTF_8),
                    Unpooled.copiedBuffer("body", StandardCharsets.UTF_8), false, 7, 12345L, 67890L);
            long position = spill.write(m);
            m.release();
            Message back = spill.read(position);
            try {
                assertThat(back.arrival()).isEqualTo(12345L);
                assertThat(back.expiresAt()).isEqualTo(67890L);
                assertThat(back.priority()).isEqualTo(7);
                assertThat(back.exchange()).isEqualTo("ex");
                assertThat(back.routingKey()).isEqualTo("rk");
                assertThat(back.body().toString(StandardCharsets.UTF_8)).isEqualTo("body");
                assertThat(back.rawProperties().toString(StandardCharsets.UTF_8)).isEqualTo("props");
            } finally {
                back.release();
            }
            assertThat(spill.liveMessages()).isZero();
        }
    }
}
