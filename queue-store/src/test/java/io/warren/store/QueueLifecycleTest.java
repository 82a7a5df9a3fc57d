package io.warren.store;

import static io.warren.store.QueueFixture.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.warren.store.QueueException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Enqueue outcomes, basic.get, purge, delete, auto-delete and counters. */
class QueueLifecycleTest {

    private final QueueFixture fixture = new QueueFixture();
    private final MessageQueue queue = fixture.queue("q");

    @AfterEach
    void close() {
        fixture.close();
    }

    private static QueueException failure(CompletableFuture<?> future) {
        return (QueueException) assertThat(future).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).actual().getCause();
    }

    @Test
    void tellsThePublisherWhetherTheQueueTookTheMessage() {
        List<String> outcomes = new ArrayList<>();
        EnqueueOutcome outcome = new EnqueueOutcome() {
            @Override
            public void accepted(MessageQueue q) {
                outcomes.add("accepted " + q.name());
            }

            @Override
            public void rejected(MessageQueue q) {
                outcomes.add("rejected " + q.name());
            }
        };
        queue.enqueue(fixture.message(1), outcome);
        done(queue.delete(false, false));
        Message late = fixture.message(2);
        queue.enqueue(late, outcome);

        assertThat(outcomes).containsExactly("accepted q", "rejected q");
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void getTakesTheOldestAndReportsWhatIsLeft() {
        List<GetResult> got = new ArrayList<>();
        queue.get(false, new RecordingGet(got));
        assertThat(got).containsExactly(GetResult.EMPTY);
        assertThat(GetResult.EMPTY.isEmpty()).isTrue();

        Message[] messages = fixture.enqueue(queue, 1, 2, 3);
        queue.get(false, new RecordingGet(got));
        queue.get(true, new RecordingGet(got));
        assertThat(got.get(1).entry().message()).isSameAs(messages[0]);
        assertThat(got.get(1).messageCount()).isEqualTo(2);
        assertThat(got.get(2).entry().message()).isSameAs(messages[1]);
        assertThat(got.get(2).messageCount()).isEqualTo(1);
        assertThat(queue.messageCount()).isEqualTo(1);
        assertThat(queue.unackedCount()).isEqualTo(1); // the no-ack get left nothing behind

        queue.ack(got.get(1).entry());
        messages[1].release(); // the no-ack get's reference
        assertThat(messages[0].refCnt()).isZero();
        assertThat(messages[1].refCnt()).isZero();
    }

    @Test
    void getOnADeletedQueueFailsWithNotFound() {
        done(queue.delete(false, false));
        List<QueueException> failures = new ArrayList<>();
        queue.get(true, new RecordingGet(new ArrayList<>(), failures));
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(e).hasMessage("no queue 'q' in vhost '/'");
        });
    }

    @Test
    void purgeDropsReadyMessagesOnly() {
        Message[] messages = fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 1);
        done(queue.addConsumer(consumer));

        assertThat(done(queue.purge())).isEqualTo(2);
        assertThat(messages[1].refCnt()).isZero();
        assertThat(messages[2].refCnt()).isZero();
        assertThat(messages[0].refCnt()).isEqualTo(1);
        assertThat(queue.messageCount()).isZero();
        assertThat(queue.unackedCount()).isEqualTo(1);
        assertThat(done(queue.purge())).isZero();

        queue.requeue(consumer.deliveries().get(0)); // survives the purge
        assertThat(queue.messageCount()).isEqualTo(1);
    }

    @Test
    void purgeOfADeletedQueueFailsWithNotFound() {
        done(queue.delete(false, false));
        assertThat(failure(queue.purge()).reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(failure(queue.stats()).reason()).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void deleteIfEmptyRefusesAQueueWithReadyMessages() {
        fixture.enqueue(queue, 1);
        done(queue.addConsumer(RecordingConsumer.withCredit("c", 0)));
        QueueException refused = failure(queue.delete(true, true)); // emptiness is checked first
        assertThat(refused.reason()).isEqualTo(Reason.PRECONDITION_FAILED);
        assertThat(refused).hasMessage("queue 'q' in vhost '/' not empty");
        assertThat(queue.isDeleted()).isFalse();
        assertThat(fixture.deleted).isEmpty();
        assertThat(done(queue.purge())).isEqualTo(1);
    }

    @Test
    void deleteIfUnusedRefusesAQueueWithConsumers() {
        MessageQueue prod = new MessageQueue("prod", QueueSettings.named("q"),
                new SerialExecutor(Runnable::run, "queue q", 64, fixture.failures::add), q -> { });
        done(prod.addConsumer(RecordingConsumer.unlimited("c")));
        QueueException refused = failure(prod.delete(true, false));
        assertThat(refused.reason()).isEqualTo(Reason.PRECONDITION_FAILED);
        assertThat(refused).hasMessage("queue 'q' in vhost 'prod' in use");
        assertThat(done(prod.delete(false, true))).isZero();
    }

    @Test
    void deleteCancelsConsumersReleasesMessagesAndTellsTheListenerOnce() {
        Message[] messages = fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer a = RecordingConsumer.withCredit("a", 1);
        RecordingConsumer b = RecordingConsumer.withCredit("b", 0);
        done(queue.addConsumer(a));
        done(queue.addConsumer(b));

        assertThat(done(queue.delete(false, false))).isEqualTo(2);
        assertThat(a.cancellations()).isEqualTo(1);
        assertThat(b.cancellations()).isEqualTo(1);
        assertThat(messages[1].refCnt()).isZero();
        assertThat(messages[2].refCnt()).isZero();
        assertThat(messages[0].refCnt()).isEqualTo(1); // unacked: released when the channel lets go
        assertThat(fixture.deleted).containsExactly(queue);
        assertThat(queue.isDeleted()).isTrue();
        assertThat(queue.messageCount()).isZero();
        assertThat(queue.consumerCount()).isZero();
        assertThat(queue.unackedCount()).isEqualTo(1);

        queue.requeue(a.deliveries().get(0));
        assertThat(messages[0].refCnt()).isZero();
        assertThat(queue.unackedCount()).isZero();
        queue.ack(a.deliveries().get(0)); // harmless
        assertThat(done(queue.delete(false, false))).isZero();
        assertThat(fixture.deleted).hasSize(1);
        done(queue.removeConsumer(a));
        assertThat(a.cancellations()).isEqualTo(1);
    }

    @Test
    void autoDeletesWhenTheLastConsumerLeaves() {
        MessageQueue auto = fixture.autoDeleteQueue("auto");
        Message[] messages = fixture.enqueue(auto, 1);
        done(auto.removeConsumer(RecordingConsumer.unlimited("stranger")));
        assertThat(auto.isDeleted()).as("never had a consumer").isFalse();

        RecordingConsumer a = RecordingConsumer.withCredit("a", 0);
        RecordingConsumer b = RecordingConsumer.withCredit("b", 0);
        done(auto.addConsumer(a));
        done(auto.addConsumer(b));
        done(auto.removeConsumer(a));
        assertThat(auto.isDeleted()).isFalse();
        done(auto.removeConsumer(b));

        assertThat(auto.isDeleted()).isTrue();
        assertThat(fixture.deleted).containsExactly(auto);
        assertThat(messages[0].refCnt()).isZero();
        assertThat(a.cancellations() + b.cancellations()).isZero(); // they had left already
    }

    @Test
    void aFailingListenerDoesNotStopTheDeletion() {
        MessageQueue fragile = new MessageQueue("/", QueueSettings.named("fragile"),
                new SerialExecutor(Runnable::run, "queue fragile", 64, fixture.failures::add), q -> {
                    throw new IllegalStateException("listener bug");
                });
        Message[] messages = fixture.enqueue(fragile, 1);
        assertThat(done(fragile.delete(false, false))).isEqualTo(1);
        assertThat(messages[0].refCnt()).isZero();
        assertThat(fixture.failures).singleElement().satisfies(t -> assertThat(t).hasMessage("listener bug"));
        fixture.failures.clear();
    }

    @Test
    void countersAndStatsFollowTheQueue() {
        fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 1);
        done(queue.addConsumer(consumer));
        assertThat(queue.messageCount()).isEqualTo(2);
        assertThat(queue.consumerCount()).isEqualTo(1);
        assertThat(queue.unackedCount()).isEqualTo(1);
        assertThat(done(queue.stats())).isEqualTo(new QueueStats(2, 1, 1));
        assertThat(queue.name()).isEqualTo("q");
        assertThat(queue.vhost()).isEqualTo("/");
        assertThat(queue.settings()).isEqualTo(QueueSettings.named("q"));
        assertThat(queue).hasToString("MessageQueue[queue 'q' in vhost '/']");
        done(queue.delete(false, false));
        queue.ack(consumer.deliveries());
    }

    @Test
    void settingsArriveUnchanged() {
        QueueSettings settings = new QueueSettings("s", true, true, true, Map.of("x-max-length", 10));
        assertThat(fixture.queue(settings).settings()).isSameAs(settings);
    }
}
