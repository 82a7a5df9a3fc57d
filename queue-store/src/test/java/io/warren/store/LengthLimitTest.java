package io.warren.store;

import static io.warren.store.FeatureFixture.features;
import static io.warren.store.FeatureFixture.getId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-max-length, x-max-length-bytes and x-overflow, counting ready messages only. */
class LengthLimitTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** Records publisher outcomes as "+id" / "-id". */
    private static final class Outcomes implements EnqueueOutcome {
        final List<String> seen = new ArrayList<>();
        final long id;

        Outcomes(long id) {
            this.id = id;
        }

        @Override
        public void accepted(MessageQueue queue) {
            seen.add("+" + id);
        }

        @Override
        public void rejected(MessageQueue queue) {
            seen.add("-" + id);
        }
    }

    @Test
    void dropHeadKeepsTheNewestAndDeadLettersTheOldestAsMaxlen() {
        MessageQueue q = f.queue(features().maxLength(2).dlx("dlx", null).build());
        f.enqueue(q, 1, 2, 3, 4);
        assertThat(q.messageCount()).isEqualTo(2);
        assertThat(f.deadIds()).containsExactly(1L, 2L);
        assertThat(f.reasons()).containsOnly(DeadReason.MAXLEN);
        assertThat(f.events.subList(0, 2)).containsExactly("dlx 1 maxlen", "ack 1");
        assertThat(f.drainIds(q)).containsExactly(3L, 4L);
    }

    @Test
    void dropHeadWithoutDeadLetterExchangeReleases() {
        MessageQueue q = f.queue(features().maxLength(1).build());
        Message first = f.message(1);
        q.enqueue(first, null);
        f.enqueue(q, 2);
        assertThat(first.refCnt()).isZero();
        assertThat(f.deadLetters).isEmpty();
        assertThat(f.drainIds(q)).containsExactly(2L);
    }

    @Test
    void unackedMessagesDoNotCount() {
        MessageQueue q = f.queue(features().maxLength(1).overflow(Overflow.REJECT_PUBLISH).build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 2);
        q.addConsumer(c).join();
        f.enqueue(q, 1, 2, 3);
        Outcomes o = new Outcomes(4);
        q.enqueue(f.message(4), o);
        assertThat(c.deliveredIds()).containsExactly(1L, 2L);
        assertThat(q.messageCount()).isEqualTo(1);
        assertThat(o.seen).containsExactly("-4");
        q.ack(c.deliveries());
    }

    @Test
    void aBatchGoesToAWaitingConsumerBeforeTheLimitIsChecked() {
        MessageQueue q = f.queue(features().maxLength(1).overflow(Overflow.REJECT_PUBLISH).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1, 2, 3, 4, 5);
        assertThat(c.deliveredIds()).containsExactly(1L, 2L, 3L, 4L, 5L);
        q.ack(c.deliveries());
    }

    @Test
    void rejectPublishRefusesAndReleasesTheNewMessage() {
        MessageQueue q = f.queue(features().maxLength(2).overflow(Overflow.REJECT_PUBLISH).dlx("dlx", null).build());
        Outcomes o = new Outcomes(0);
        for (long id = 1; id <= 3; id++) {
            Outcomes one = new Outcomes(id);
            q.enqueue(f.message(id), one);
            o.seen.addAll(one.seen);
        }
        assertThat(o.seen).containsExactly("+1", "+2", "-3");
        assertThat(f.deadLetters).as("reject-publish does not dead-letter").isEmpty();
        assertThat(f.events).containsExactly("ack 3");
        assertThat(f.drainIds(q)).containsExactly(1L, 2L);
    }

    @Test
    void rejectPublishDlxAlsoDeadLettersTheRefusedMessage() {
        MessageQueue q = f.queue(features().maxLength(1).overflow(Overflow.REJECT_PUBLISH_DLX).dlx("dlx", "k").build());
        f.enqueue(q, 1);
        Outcomes o = new Outcomes(2);
        q.enqueue(f.message(2), o);
        assertThat(o.seen).containsExactly("-2");
        assertThat(f.deadLetters).containsExactly(new FeatureFixture.DeadLetter(2, DeadReason.MAXLEN, "dlx", "k"));
        assertThat(f.events).containsExactly("dlx 2 maxlen", "ack 2");
    }

    @Test
    void byteLimitCountsBodiesIncludingPagedOnes() {
        Residency small = new Residency(2, 1 << 20);
        MessageQueue q = f.queue(features().maxLengthBytes(100).build(), small, f.spill);
        for (long id = 1; id <= 10; id++) {
            q.enqueue(f.message(id, 0, Message.NEVER, 20), null);
        }
        assertThat(q.messageCount()).isEqualTo(5);
        assertThat(f.drainIds(q)).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(f.spill.size()).isZero();
    }

    @Test
    void byteLimitRejectsWhatWouldNotFit() {
        MessageQueue q = f.queue(features().maxLengthBytes(50).overflow(Overflow.REJECT_PUBLISH).build());
        q.enqueue(f.message(1, 0, Message.NEVER, 30), null);
        Outcomes o = new Outcomes(2);
        q.enqueue(f.message(2, 0, Message.NEVER, 30), o);
        Outcomes fits = new Outcomes(3);
        q.enqueue(f.message(3, 0, Message.NEVER, 20), fits);
        assertThat(o.seen).containsExactly("-2");
        assertThat(fits.seen).containsExactly("+3");
    }

    @Test
    void dropHeadOnAPriorityQueueDropsTheNextToBeDeliveredAsRabbitMqDoes() {
        MessageQueue q = f.queue(features().maxPriority(5).maxLength(2).dlx("dlx", null).build());
        q.enqueue(f.message(1, 0, Message.NEVER, 10), null);
        q.enqueue(f.message(2, 5, Message.NEVER, 10), null);
        q.enqueue(f.message(3, 2, Message.NEVER, 10), null);
        assertThat(f.deadIds()).containsExactly(2L);
        assertThat(f.drainIds(q)).containsExactly(3L, 1L);
    }

    @Test
    void rejectPublishOnAPriorityQueueCountsEveryLane() {
        MessageQueue q = f.queue(features().maxPriority(9).maxLength(2).overflow(Overflow.REJECT_PUBLISH).build());
        q.enqueue(f.message(1, 0, Message.NEVER, 10), null);
        q.enqueue(f.message(2, 9, Message.NEVER, 10), null);
        Outcomes o = new Outcomes(3);
        q.enqueue(f.message(3, 4, Message.NEVER, 10), o);
        assertThat(o.seen).containsExactly("-3");
        assertThat(getId(q)).isEqualTo(2);
    }
}
