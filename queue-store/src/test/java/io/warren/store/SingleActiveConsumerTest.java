package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * x-single-active-consumer: one consumer receives; on its removal the highest-priority, earliest one takes over; a
 * higher-priority newcomer takes over once the active one has no unacked messages (RabbitMQ 3.12+).
 */
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
        f.enqueue(q, 1, 2);
        q.addConsumer(low).join();
        q.addConsumer(highEarly).join();
        q.addConsumer(highLate).join();
        assertThat(active.deliveredIds()).containsExactly(1L, 2L);

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
    void aHigherPriorityNewcomerTakesOverOnlyOnceTheActiveOneSettledEverything() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.unlimited("active");
        RecordingConsumer high = RecordingConsumer.withPriority("high", Integer.MAX_VALUE, 10);
        q.addConsumer(active).join();
        f.enqueue(q, 1, 2);
        q.addConsumer(high).join();
        f.enqueue(q, 3);
        assertThat(active.deliveredIds()).as("switching: the active one gets nothing new").containsExactly(1L, 2L);
        assertThat(high.deliveredIds()).as("switching: nor the newcomer").isEmpty();

        q.ack(active.deliveries().get(0));
        assertThat(high.deliveredIds()).as("the active one still holds an unacked message").isEmpty();
        q.discard(active.deliveries().get(1));
        assertThat(high.deliveredIds()).containsExactly(3L);
        f.enqueue(q, 4);
        assertThat(high.deliveredIds()).containsExactly(3L, 4L);
        assertThat(active.deliveredIds()).containsExactly(1L, 2L);

        // the newcomer leaves: the old one is the highest left and takes over again
        q.removeConsumer(high).join();
        q.requeue(high.deliveries());
        assertThat(active.deliveredIds()).containsExactly(1L, 2L, 3L, 4L);
        q.ack(active.deliveries().subList(2, 4));
    }

    @Test
    void aNoAckActiveConsumerIsReplacedAtOnce() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.noAck("active");
        RecordingConsumer high = RecordingConsumer.withPriority("high", Integer.MAX_VALUE, 1);
        q.addConsumer(active).join();
        f.enqueue(q, 1);
        q.addConsumer(high).join();
        f.enqueue(q, 2, 3);
        assertThat(active.deliveredIds()).containsExactly(1L);
        assertThat(high.deliveredIds()).containsExactly(2L, 3L);
        active.deliveries().forEach(e -> e.message().release());
        q.ack(high.deliveries());
    }

    @Test
    void theNewActiveConsumerGetsTheRequeuedMessagesInTheirOrder() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.unlimited("active");
        RecordingConsumer high = RecordingConsumer.withPriority("high", Integer.MAX_VALUE, 3);
        q.addConsumer(active).join();
        f.enqueue(q, 1, 2, 3);
        q.addConsumer(high).join();
        f.enqueue(q, 4);
        List<QueueEntry> held = active.deliveries();
        q.requeue(held.get(2));
        assertThat(high.deliveredIds()).as("two are still unacked").isEmpty();
        q.ack(held.get(0));
        assertThat(high.deliveredIds()).isEmpty();
        q.nackRequeue(held.get(1));
        assertThat(high.deliveredIds()).containsExactly(2L, 3L, 4L);
        assertThat(high.deliveries()).extracting(QueueEntry::redelivered).containsExactly(true, true, false);
        assertThat(active.deliveredIds()).containsExactly(1L, 2L, 3L);
        q.ack(high.deliveries());
    }

    @Test
    void anEqualPriorityNewcomerWaits() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.withPriority("active", Integer.MAX_VALUE, 5);
        RecordingConsumer same = RecordingConsumer.withPriority("same", Integer.MAX_VALUE, 5);
        RecordingConsumer lower = RecordingConsumer.withPriority("lower", Integer.MAX_VALUE, 1);
        q.addConsumer(active).join();
        q.addConsumer(same).join();
        q.addConsumer(lower).join();
        f.enqueue(q, 1);
        q.ack(active.deliveries());
        f.enqueue(q, 2);
        assertThat(active.deliveredIds()).containsExactly(1L, 2L);
        assertThat(same.deliveredIds()).isEmpty();
        assertThat(lower.deliveredIds()).isEmpty();
        q.ack(active.deliveries().get(1));
    }

    @Test
    void whenTheNewcomerLeavesDuringTheSwitchTheActiveOneContinues() {
        MessageQueue q = f.queue(features().singleActiveConsumer().build());
        RecordingConsumer active = RecordingConsumer.unlimited("active");
        RecordingConsumer high = RecordingConsumer.withPriority("high", Integer.MAX_VALUE, 10);
        q.addConsumer(active).join();
        f.enqueue(q, 1);
        q.addConsumer(high).join();
        f.enqueue(q, 2, 3);
        assertThat(active.deliveredIds()).containsExactly(1L);

        q.removeConsumer(high).join();
        assertThat(active.deliveredIds()).containsExactly(1L, 2L, 3L);
        assertThat(high.deliveredIds()).isEmpty();
        q.ack(active.deliveries());
        assertThat(q.unackedCount()).isZero();
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
