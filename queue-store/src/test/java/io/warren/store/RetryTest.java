package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** nackRequeue: delayed retries through the RedeliveryScheduler, exhaustion, and plain requeues. */
class RetryTest {

    private static final RetryPolicy POLICY = new RetryPolicy(3, 100, 2, 1000);

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aNackWithRequeueLeavesTheQueueForTheScheduler() {
        MessageQueue q = f.queue(features().retry(POLICY).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        Message m = c.deliveries().get(0).message();
        q.nackRequeue(c.deliveries().get(0));
        assertThat(f.retried).containsExactly(m);
        assertThat(m.refCnt()).as("the scheduler's reference only").isEqualTo(1);
        assertThat(f.events).containsExactly("retry 1", "ack 1");
        assertThat(q.messageCount()).isZero();
        assertThat(q.unackedCount()).isZero();
        assertThat(c.deliveries()).hasSize(1);
    }

    @Test
    void exhaustedRetriesDeadLetterAsRejected() {
        MessageQueue q = f.queue(features().retry(POLICY).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        f.retriesLeft = false;
        Message m = c.deliveries().get(0).message();
        q.nackRequeue(java.util.List.of(c.deliveries().get(0)));
        assertThat(f.reasons()).containsExactly(DeadReason.REJECTED);
        assertThat(f.events).containsExactly("dlx 1 rejected", "ack 1");
        assertThat(m.refCnt()).isZero();
    }

    @Test
    void exhaustedRetriesWithoutDeadLetterExchangeDrop() {
        MessageQueue q = f.queue(features().retry(POLICY).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        f.retriesLeft = false;
        Message m = c.deliveries().get(0).message();
        q.nackRequeue(c.deliveries().get(0));
        assertThat(f.deadLetters).isEmpty();
        assertThat(m.refCnt()).isZero();
        assertThat(q.messageCount()).isZero();
    }

    @Test
    void plainRequeueNeverGoesThroughTheScheduler() {
        MessageQueue q = f.queue(features().retry(POLICY).build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 1);
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.requeue(c.deliveries().get(0));
        assertThat(f.retried).isEmpty();
        assertThat(q.messageCount()).isEqualTo(1);
    }

    @Test
    void withoutAPolicyNackRequeueIsARequeueCountedByTheDeliveryLimit() {
        MessageQueue q = f.queue(features().deliveryLimit(1).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.nackRequeue(c.deliveries().get(0));
        assertThat(c.deliveries()).hasSize(2);
        assertThat(c.deliveries().get(1).redelivered()).isTrue();
        q.nackRequeue(c.deliveries().get(1));
        assertThat(f.retried).isEmpty();
        assertThat(f.reasons()).containsExactly(DeadReason.DELIVERY_LIMIT);
    }

    @Test
    void withoutASchedulerNackRequeueRequeues() {
        SerialExecutor executor = new SerialExecutor(Runnable::run, "q", 64, f.failures::add);
        MessageQueue q = new MessageQueue("/", QueueSettings.named("q"), executor, x -> {}, null, null,
                Residency.DEFAULT, features().retry(POLICY).build(),
                new QueueHooks(f.timer, f.timer, f.sink, null));
        RecordingConsumer c = RecordingConsumer.withCredit("c", 1);
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.nackRequeue(c.deliveries().get(0));
        assertThat(q.messageCount()).isEqualTo(1);
    }
}
