package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rejection without requeue and the delivery limit: dead-lettered with the right reason, before the ack record. */
class DeadLetteringTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void discardDeadLettersAsRejectedWithTheQueuesExchangeAndKey() {
        MessageQueue q = f.queue(features().dlx("dlx", "rk2").build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1, 2);
        q.discard(c.deliveries());
        assertThat(f.deadLetters).containsExactly(
                new FeatureFixture.DeadLetter(1, DeadReason.REJECTED, "dlx", "rk2"),
                new FeatureFixture.DeadLetter(2, DeadReason.REJECTED, "dlx", "rk2"));
        assertThat(f.events).containsExactly("dlx 1 rejected", "ack 1", "dlx 2 rejected", "ack 2");
        assertThat(c.deliveries()).allSatisfy(e -> assertThat(e.message().refCnt()).isZero());
    }

    @Test
    void discardWithoutDeadLetterExchangeDrops() {
        MessageQueue q = f.queue(features().build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.discard(c.deliveries().get(0));
        assertThat(f.deadLetters).isEmpty();
        assertThat(f.events).containsExactly("ack 1");
        assertThat(c.deliveries().get(0).message().refCnt()).isZero();
    }

    @Test
    void theDefaultExchangeCountsAsADeadLetterExchange() {
        MessageQueue q = f.queue(features().dlx("", "target").build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.discard(c.deliveries().get(0));
        assertThat(f.deadLetters).containsExactly(new FeatureFixture.DeadLetter(1, DeadReason.REJECTED, "", "target"));
    }

    @Test
    void pastTheDeliveryLimitAMessageIsDeadLetteredInsteadOfRequeued() {
        MessageQueue q = f.queue(features().deliveryLimit(2).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        for (int round = 0; round < 3; round++) {
            QueueEntry e = c.deliveries().get(round);
            assertThat(e.deliveryCount()).isEqualTo(round);
            q.requeue(e);
        }
        assertThat(c.deliveries()).hasSize(3);
        assertThat(q.messageCount()).isZero();
        assertThat(f.reasons()).containsExactly(DeadReason.DELIVERY_LIMIT);
        assertThat(f.events).containsExactly("dlx 1 delivery_limit", "ack 1");
    }

    @Test
    void deliveryLimitZeroDropsOnTheFirstReturnWithoutDeadLetterExchange() {
        MessageQueue q = f.queue(features().deliveryLimit(0).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.nackRequeue(c.deliveries().get(0));
        assertThat(q.messageCount()).isZero();
        assertThat(c.deliveries().get(0).message().refCnt()).isZero();
        assertThat(f.events).containsExactly("ack 1");
    }

    @Test
    void requeueAfterDeletionReleasesWithoutDeadLettering() {
        MessageQueue q = f.queue(features().deliveryLimit(0).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        q.delete(false, false).join();
        q.requeue(c.deliveries().get(0));
        assertThat(f.deadLetters).isEmpty();
        assertThat(c.deliveries().get(0).message().refCnt()).isZero();
    }
}
