package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static io.warren.store.FeatureFixture.getId;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-expires: the queue is deleted after being unused (no consumers, no get, no declare) for that long. */
class IdleExpiryTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void anUnusedQueueIsDeletedWithItsMessages() {
        MessageQueue q = f.queue(features().expires(1000).build());
        Message m = f.message(1);
        q.enqueue(m, null);
        f.timer.advance(999);
        assertThat(q.isDeleted()).isFalse();
        f.timer.advance(1);
        assertThat(q.isDeleted()).isTrue();
        assertThat(f.deleted).containsExactly(q);
        assertThat(m.refCnt()).isZero();
        assertThat(f.timer.pending()).isZero();
    }

    @Test
    void declareAndGetCountAsUse() {
        MessageQueue q = f.queue(features().expires(1000).build());
        f.timer.advance(800);
        q.touch();
        f.timer.advance(800);
        assertThat(getId(q)).isEqualTo(-1);
        f.timer.advance(800);
        assertThat(q.isDeleted()).isFalse();
        f.timer.advance(200);
        assertThat(q.isDeleted()).isTrue();
        assertThat(f.timer.pending()).isZero();
    }

    @Test
    void aConsumerKeepsItAliveAndTheCountStartsWhenTheLastOneLeaves() {
        MessageQueue q = f.queue(features().expires(1000).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.timer.advance(5000);
        assertThat(q.isDeleted()).isFalse();
        q.removeConsumer(c).join();
        f.timer.advance(999);
        assertThat(q.isDeleted()).isFalse();
        f.timer.advance(1);
        assertThat(q.isDeleted()).isTrue();
        assertThat(f.deleted).hasSize(1);
    }

    @Test
    void publishingIsNotUse() {
        MessageQueue q = f.queue(features().expires(100).build());
        f.timer.advance(50);
        f.enqueue(q, 1);
        f.timer.advance(50);
        assertThat(q.isDeleted()).isTrue();
    }
}
