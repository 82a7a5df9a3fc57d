package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static io.warren.store.FeatureFixture.getId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-max-priority: one lane per level, highest first, FIFO within a lane, requeue in place, paging per lane. */
class PriorityQueueTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private void publish(MessageQueue q, long id, int priority) {
        q.enqueue(f.message(id, priority, Message.NEVER, 10), null);
    }

    @Test
    void highestPriorityFirstFifoWithinAPriority() {
        MessageQueue q = f.queue(features().maxPriority(10).build());
        publish(q, 1, 0);
        publish(q, 2, 5);
        publish(q, 3, 10);
        publish(q, 4, 5);
        publish(q, 5, 0);
        publish(q, 6, 10);
        assertThat(q.messageCount()).isEqualTo(6);
        assertThat(f.drainIds(q)).containsExactly(3L, 6L, 2L, 4L, 1L, 5L);
    }

    @Test
    void priorityAboveTheMaximumCountsAsTheMaximum() {
        MessageQueue q = f.queue(features().maxPriority(3).build());
        publish(q, 1, 3);
        publish(q, 2, 200);
        publish(q, 3, 2);
        publish(q, 4, 4);
        assertThat(f.drainIds(q)).containsExactly(1L, 2L, 4L, 3L);
    }

    @Test
    void withoutMaxPriorityPrioritiesAreIgnored() {
        MessageQueue q = f.queue(features().build());
        publish(q, 1, 0);
        publish(q, 2, 9);
        assertThat(f.drainIds(q)).containsExactly(1L, 2L);
    }

    @Test
    void requeueReturnsToTheOriginalPlaceInItsLane() {
        MessageQueue q = f.queue(features().maxPriority(5).build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 0);
        q.addConsumer(c).join();
        publish(q, 1, 5);
        publish(q, 2, 1);
        publish(q, 3, 5);
        publish(q, 4, 1);
        c.addCredit(2);
        q.consumerReady();
        assertThat(c.deliveredIds()).containsExactly(1L, 3L);
        List<QueueEntry> back = new ArrayList<>(c.deliveries());
        java.util.Collections.reverse(back);
        publish(q, 5, 5);
        q.requeue(back);
        assertThat(f.drainIds(q)).containsExactly(1L, 3L, 5L, 2L, 4L);
    }

    @Test
    void consumersGetTheHighestLaneAsItArrives() {
        MessageQueue q = f.queue(features().maxPriority(9).build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 0);
        q.addConsumer(c).join();
        publish(q, 1, 1);
        publish(q, 2, 2);
        c.addCredit(1);
        q.consumerReady();
        publish(q, 3, 9);
        publish(q, 4, 1);
        c.addCredit(3);
        q.consumerReady();
        assertThat(c.deliveredIds()).containsExactly(2L, 3L, 1L, 4L);
        q.ack(c.deliveries());
    }

    @Test
    void pagingWorksPerLane() {
        Residency small = new Residency(3, 1 << 20);
        MessageQueue q = f.queue(features().maxPriority(255).build(), small, f.spill);
        for (long id = 0; id < 40; id++) {
            publish(q, id, (int) (id % 4) * 50);
        }
        assertThat(q.messageCount()).isEqualTo(40);
        assertThat(q.pagingStats().join()[0]).isEqualTo(37);
        List<Long> expected = new ArrayList<>();
        for (int lane = 3; lane >= 0; lane--) {
            for (long id = lane; id < 40; id += 4) {
                expected.add(id);
            }
        }
        assertThat(f.drainIds(q)).containsExactlyElementsOf(expected);
        assertThat(f.spill.size()).isZero();
    }

    @Test
    void purgeAndDeleteCountEveryLane() {
        MessageQueue q = f.queue(features().maxPriority(255).build());
        publish(q, 1, 0);
        publish(q, 2, 255);
        publish(q, 3, 128);
        assertThat(q.purge().join()).isEqualTo(3);
        publish(q, 4, 7);
        assertThat(q.delete(false, false).join()).isEqualTo(1);
    }
}
