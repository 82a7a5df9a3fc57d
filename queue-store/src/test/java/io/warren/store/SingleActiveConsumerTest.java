package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-single-active-consumer: one consumer receives; on its removal the highest-priority, earliest one takes over. */
class SingleActiveConsumerTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void onlyTheActiveConsumerReceivesEvenWithoutCredit() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer first = RecordingConsumer.withCredit("first", 1);
        RecordingConsumer second = RecordingConsumer.unlimited("second");
        q.addConsumer(first).join();
        q.addConsumer(second).join();
        f.enqueue(q, 1, 2, 3);
        assertThat(first.deliveredIds()).containsExactly(1L);
        assertThat(second.deliveredIds()).isEmpty();
        assertThat(q.messageCount()).isEqualTo(2);
        q.ack(first.deliveries());
    }

    @Test
    void failoverGoesToTheHighestPriorityThenEarliestAndGetsTheRequeuedMessages() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.unlimited("active");
        RecordingConsumer low = RecordingConsumer.withPriority("low", Integer.MAX_VALUE, 0);
        RecordingConsumer highEarly = RecordingConsumer.withPriority("highEarly", Integer.MAX_VALUE, 5);
        RecordingConsumer highLate = RecordingConsumer.withPriority("highLate", Integer.MAX_VALUE, 5);
        q.addConsumer(active).join();
        q.addConsumer(low).join();
        q.addConsumer(highEarly).join();
        q.addConsumer(highLate).join();
        f.enqueue(q, 1, 2);
        assertThat(active.deliveredIds()).as("a later higher priority does not take over").containsExactly(1L, 2L);

        // a channel closing: cancel first, then give the unacked back
        q.removeConsumer(active).join();
        q.requeue(active.deliveries());
        f.enqueue(q, 3);
        assertThat(highEarly.deliveredIds()).containsExactly(1L, 2L, 3L);
        assertThat(highLate.deliveredIds()).isEmpty();
        assertThat(low.deliveredIds()).isEmpty();

        q.removeConsumer(highEarly).join();
        q.removeConsumer(highLate).join();
        q.requeue(highEarly.deliveries());
        assertThat(low.deliveredIds()).containsExactly(1L, 2L, 3L);
        q.ack(low.deliveries());
    }

    @Test
    void withoutTheFeatureConsumersShare() {
        MessageQueue q = f.queue(features().build());
        RecordingConsumer a = RecordingConsumer.unlimited("a");
        RecordingConsumer b = RecordingConsumer.unlimited("b");
        q.addConsumer(a).join();
        q.addConsumer(b).join();
        f.enqueue(q, 1, 2);
        assertThat(a.deliveredIds()).containsExactly(1L);
        assertThat(b.deliveredIds()).containsExactly(2L);
        q.ack(a.deliveries());
        q.ack(b.deliveries());
    }
}
