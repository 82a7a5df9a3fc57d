package io.warren.store;

import static io.warren.store.QueueFixture.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.warren.store.QueueException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FIFO, credit, round-robin, priorities, batching: on the calling thread unless stated. */
class QueueDeliveryTest {

    private final QueueFixture fixture = new QueueFixture();
    private final MessageQueue queue = fixture.queue("q");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void deliversInFifoOrder() {
        fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));
        fixture.enqueue(queue, 4, 5);

        assertThat(consumer.deliveredIds()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(consumer.deliveries()).allSatisfy(e -> {
            assertThat(e.redelivered()).isFalse();
            assertThat(e.deliveryCount()).isZero();
            assertThat(e.queue()).isSameAs(queue);
        });
        assertThat(consumer.deliveries()).extracting(QueueEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(queue.messageCount()).isZero();
        assertThat(queue.unackedCount()).isEqualTo(5);
    }

    @Test
    void roundRobinsBetweenCompetingConsumers() {
        RecordingConsumer a = RecordingConsumer.unlimited("a");
        RecordingConsumer b = RecordingConsumer.unlimited("b");
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(a));
        done(queue.addConsumer(b));
        done(queue.addConsumer(c));
        fixture.enqueue(queue, 1, 2, 3, 4, 5, 6, 7);

        assertThat(a.deliveredIds()).containsExactly(1L, 4L, 7L);
        assertThat(b.deliveredIds()).containsExactly(2L, 5L);
        assertThat(c.deliveredIds()).containsExactly(3L, 6L);
    }

    @Test
    void skipsConsumersWithoutCredit() {
        RecordingConsumer limited = RecordingConsumer.withCredit("limited", 1);
        RecordingConsumer unlimited = RecordingConsumer.unlimited("unlimited");
        done(queue.addConsumer(limited));
        done(queue.addConsumer(unlimited));
        fixture.enqueue(queue, 1, 2, 3, 4);

        assertThat(limited.deliveredIds()).containsExactly(1L);
        assertThat(unlimited.deliveredIds()).containsExactly(2L, 3L, 4L);
    }

    @Test
    void waitsForConsumerReadyWhenNobodyHasCredit() {
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 2);
        done(queue.addConsumer(consumer));
        fixture.enqueue(queue, 1, 2, 3, 4, 5);
        assertThat(consumer.deliveredIds()).containsExactly(1L, 2L);
        assertThat(queue.messageCount()).isEqualTo(3);

        consumer.addCredit(2);
        assertThat(consumer.deliveredIds()).hasSize(2); // nothing asked the queue to look again
        queue.consumerReady();
        assertThat(consumer.deliveredIds()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(queue.messageCount()).isEqualTo(1);
    }

    @Test
    void takesNoCreditWhenThereIsNothingToDeliver() {
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 1);
        done(queue.addConsumer(consumer));
        queue.consumerReady();
        queue.consumerReady();
        fixture.enqueue(queue, 1);
        assertThat(consumer.deliveredIds()).containsExactly(1L);
    }

    @Test
    void servesHigherPrioritiesFirstWhileTheyHaveCredit() {
        RecordingConsumer low = RecordingConsumer.withPriority("low", Integer.MAX_VALUE, 0);
        RecordingConsumer negative = RecordingConsumer.withPriority("negative", Integer.MAX_VALUE, -5);
        RecordingConsumer high = RecordingConsumer.withPriority("high", 2, 10);
        done(queue.addConsumer(low));
        done(queue.addConsumer(negative));
        done(queue.addConsumer(high));
        fixture.enqueue(queue, 1, 2, 3, 4, 5);
        assertThat(high.deliveredIds()).containsExactly(1L, 2L);
        assertThat(low.deliveredIds()).containsExactly(3L, 4L, 5L);
        assertThat(negative.deliveredIds()).isEmpty();

        high.addCredit(1);
        queue.consumerReady();
        fixture.enqueue(queue, 6, 7);
        assertThat(high.deliveredIds()).containsExactly(1L, 2L, 6L);
        assertThat(low.deliveredIds()).containsExactly(3L, 4L, 5L, 7L);
    }

    @Test
    void roundRobinsWithinAPriorityLevel() {
        RecordingConsumer h1 = RecordingConsumer.withPriority("h1", Integer.MAX_VALUE, 5);
        RecordingConsumer low = RecordingConsumer.withPriority("low", Integer.MAX_VALUE, 1);
        RecordingConsumer h2 = RecordingConsumer.withPriority("h2", Integer.MAX_VALUE, 5);
        done(queue.addConsumer(h1));
        done(queue.addConsumer(low));
        done(queue.addConsumer(h2));
        fixture.enqueue(queue, 1, 2, 3, 4);

        assertThat(h1.deliveredIds()).containsExactly(1L, 3L);
        assertThat(h2.deliveredIds()).containsExactly(2L, 4L);
        assertThat(low.deliveredIds()).isEmpty();
    }

    @Test
    void keepsTheRoundWhenAConsumerLeaves() {
        RecordingConsumer a = RecordingConsumer.unlimited("a");
        RecordingConsumer b = RecordingConsumer.unlimited("b");
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(a));
        done(queue.addConsumer(b));
        done(queue.addConsumer(c));
        fixture.enqueue(queue, 1, 2); // a, b: c is next
        done(queue.removeConsumer(a));
        fixture.enqueue(queue, 3, 4, 5);

        assertThat(c.deliveredIds()).containsExactly(3L, 5L);
        assertThat(b.deliveredIds()).containsExactly(2L, 4L);
        assertThat(queue.consumerCount()).isEqualTo(2);
    }

    @Test
    void yieldsThePoolAfterABatchOfDeliveries() {
        ManualExecutor pool = new ManualExecutor();
        MessageQueue busy = fixture.queue(QueueSettings.named("busy"), pool, 1);
        MessageQueue other = fixture.queue(QueueSettings.named("other"), pool, 1);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        fixture.enqueue(busy, new long[600]);
        busy.addConsumer(consumer);
        pool.runNext(); // the turn that accepted the 600 messages
        pool.runNext(); // addConsumer: first batch

        assertThat(consumer.deliveries()).hasSize(MessageQueue.DELIVERY_BATCH);
        RecordingConsumer otherConsumer = RecordingConsumer.unlimited("o");
        other.addConsumer(otherConsumer);
        fixture.enqueue(other, 1);
        pool.runNext(); // the busy queue's next batch
        pool.runNext(); // the other queue got the pool in between
        assertThat(otherConsumer.deliveredIds()).containsExactly(1L);
        assertThat(consumer.deliveries()).hasSize(2 * MessageQueue.DELIVERY_BATCH);
        pool.runAll();
        assertThat(consumer.deliveries()).hasSize(600);
    }

    @Test
    void anExclusiveConsumerKeepsTheQueueToItself() {
        RecordingConsumer exclusive = RecordingConsumer.exclusive("x");
        done(queue.addConsumer(exclusive));
        assertThat(queue.addConsumer(RecordingConsumer.unlimited("other"))).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(QueueException.class)
                .withMessage("queue 'q' in vhost '/' in exclusive use");

        done(queue.removeConsumer(exclusive));
        done(queue.addConsumer(RecordingConsumer.unlimited("shared")));
        assertThat(queue.addConsumer(RecordingConsumer.exclusive("late"))).isCompletedExceptionally();
        assertThat(queue.consumerCount()).isEqualTo(1);
    }

    @Test
    void addingTheSameConsumerTwiceKeepsOne() {
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));
        done(queue.addConsumer(consumer));
        fixture.enqueue(queue, 1, 2);
        assertThat(consumer.deliveredIds()).containsExactly(1L, 2L);
        assertThat(queue.consumerCount()).isEqualTo(1);
    }

    @Test
    void cannotConsumeFromADeletedQueue() {
        done(queue.delete(false, false));
        assertThat(queue.addConsumer(RecordingConsumer.unlimited("c"))).isCompletedExceptionally()
                .failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .satisfies(e -> assertThat(((QueueException) e.getCause()).reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void aConsumerThatThrowsIsCancelledAndItsMessageGoesToTheNext() {
        List<Long> seenByBroken = new ArrayList<>();
        RecordingConsumer broken = new RecordingConsumer("broken", false, Integer.MAX_VALUE, 9, false) {
            @Override
            public void deliver(MessageQueue q, QueueEntry entry) {
                seenByBroken.add(entry.message().id());
                throw new IllegalStateException("channel gone");
            }
        };
        RecordingConsumer healthy = RecordingConsumer.unlimited("healthy");
        done(queue.addConsumer(broken));
        done(queue.addConsumer(healthy));
        Message[] messages = fixture.enqueue(queue, 1, 2);

        assertThat(seenByBroken).containsExactly(1L);
        assertThat(broken.cancellations()).isEqualTo(1);
        assertThat(healthy.deliveredIds()).containsExactly(1L, 2L);
        assertThat(healthy.deliveries().get(0).redelivered()).isFalse();
        assertThat(queue.consumerCount()).isEqualTo(1);
        assertThat(queue.unackedCount()).isEqualTo(2);
        assertThat(fixture.failures).singleElement().satisfies(t -> assertThat(t).hasMessage("channel gone"));
        fixture.failures.clear();
        queue.ack(healthy.deliveries());
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
    }
}
