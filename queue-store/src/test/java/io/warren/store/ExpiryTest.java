package io.warren.store;

import static io.warren.store.FeatureFixture.START;
import static io.warren.store.FeatureFixture.features;
import static io.warren.store.FeatureFixture.getId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-message-ttl and per-message expiration: expiry at the head, the wakeup timer, dead-lettering, paging. */
class ExpiryTest {

    private final FeatureFixture f = new FeatureFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void queueTtlExpiresAtTheHeadWithNoConsumerAndDeadLettersBeforeTheAck() {
        MessageQueue q = f.queue(features().ttl(1000).dlx("dlx", "dead").build());
        f.enqueue(q, 1, 2);
        f.timer.advance(500);
        f.enqueue(q, 3);
        assertThat(q.messageCount()).isEqualTo(3);

        f.timer.advance(500); // 1 and 2 are due now
        assertThat(q.messageCount()).isEqualTo(1);
        assertThat(f.deadLetters).containsExactly(
                new FeatureFixture.DeadLetter(1, DeadReason.EXPIRED, "dlx", "dead"),
                new FeatureFixture.DeadLetter(2, DeadReason.EXPIRED, "dlx", "dead"));
        assertThat(f.events).containsExactly("dlx 1 expired", "ack 1", "dlx 2 expired", "ack 2");

        f.timer.advance(499);
        assertThat(q.messageCount()).isEqualTo(1);
        f.timer.advance(1);
        assertThat(q.messageCount()).isZero();
        assertThat(f.deadIds()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void withoutDeadLetterExchangeExpiredMessagesAreDroppedAndReleased() {
        MessageQueue q = f.queue(features().ttl(100).build());
        Message m = f.message(1);
        q.enqueue(m, null);
        f.timer.advance(100);
        assertThat(q.messageCount()).isZero();
        assertThat(m.refCnt()).isZero();
        assertThat(f.deadLetters).isEmpty();
        assertThat(f.events).containsExactly("ack 1");
    }

    @Test
    void expiredMessagesAreNeverDeliveredNorGot() {
        MessageQueue q = f.queue(features().ttl(100).build());
        f.enqueue(q, 1);
        f.timer.advance(50);
        f.enqueue(q, 2);
        // the clock moves on but the timer has not run yet: get and delivery still skip the expired head
        f.timer.advance(0);
        long t = f.timer.getAsLong();
        assertThat(t).isEqualTo(START + 50);
        assertThat(getId(q)).isEqualTo(1); // not yet expired
        f.enqueue(q, 3);
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        f.timer.advance(101); // 2 and 3 expire (timer runs and drops them)
        q.addConsumer(c).join();
        assertThat(c.deliveredIds()).isEmpty();
        assertThat(getId(q)).isEqualTo(-1);
    }

    @Test
    void perMessageExpirationIsCappedByTheQueueTtl() {
        MessageQueue q = f.queue(features().ttl(1000).build());
        q.enqueue(f.message(1, 0, START + 200, 10), null); // own expiry first
        q.enqueue(f.message(2, 0, START + 5000, 10), null); // the queue's TTL first
        List<QueueEntry> got = new java.util.ArrayList<>();
        RecordingConsumer c = RecordingConsumer.withCredit("c", 2);
        q.addConsumer(c).join();
        got.addAll(c.deliveries());
        assertThat(got).extracting(QueueEntry::expiresAt).containsExactly(START + 200, START + 1000);
        q.ack(got);
    }

    @Test
    void ownExpirationWorksWithoutQueueTtlButOnlyAtTheHead() {
        MessageQueue q = f.queue(features().build());
        q.enqueue(f.message(1, 0, Message.NEVER, 10), null);
        q.enqueue(f.message(2, 0, START + 10, 10), null);
        f.timer.advance(20);
        assertThat(q.messageCount()).as("2 waits behind 1, as in RabbitMQ").isEqualTo(2);
        assertThat(getId(q)).isEqualTo(1);
        assertThat(q.messageCount()).as("now at the head, gone").isZero();
    }

    @Test
    void ttlZeroGoesToAWaitingConsumerOrExpiresAtOnce() {
        MessageQueue q = f.queue(features().ttl(0).dlx("", null).build());
        f.enqueue(q, 1);
        assertThat(q.messageCount()).isZero();
        assertThat(f.reasons()).containsExactly(DeadReason.EXPIRED);

        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 2);
        assertThat(c.deliveredIds()).containsExactly(2L);
        assertThat(f.deadIds()).containsExactly(1L);
        q.ack(c.deliveries());
    }

    @Test
    void aPerMessageExpirationAlreadyDueOnArrivalStillGoesToAWaitingConsumer() {
        // the publisher stamped it a few ms before the queue saw it (expiration 0, or a slow hand-off)
        MessageQueue q = f.queue(features().dlx("", null).build());
        q.enqueue(f.message(1, 0, START - 5, 10), null);
        assertThat(q.messageCount()).as("nobody waiting: expired at once").isZero();
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        q.enqueue(f.message(2, 0, START - 5, 10), null);
        assertThat(c.deliveredIds()).containsExactly(2L);
        assertThat(f.deadIds()).containsExactly(1L);
        q.ack(c.deliveries());
    }

    @Test
    void aMessageDueOnArrivalReachesAWaitingConsumerEvenWhenTheClockTicksBetweenEnqueueAndDelivery() {
        // A loaded machine can pause the queue's thread between taking the message in and offering it to the
        // consumer: here every reading of the clock is 1 ms after the one before, the worst case of that pause.
        java.util.concurrent.atomic.AtomicLong ticking = new java.util.concurrent.atomic.AtomicLong(START);
        QueueHooks hooks = new QueueHooks(ticking::getAndIncrement, f.timer, f.sink, f.retries);
        SerialExecutor executor = new SerialExecutor(Runnable::run, "q", 64, f.failures::add);
        MessageQueue q = new MessageQueue("/", QueueSettings.named("q"), executor, f.deleted::add, f.journal, null,
                Residency.DEFAULT, features().dlx("", null).build(), hooks);
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        for (long id = 1; id <= 20; id++) {
            q.enqueue(f.message(id, 0, ticking.get(), 10), null); // expiration 0: due the moment it is published
        }
        assertThat(c.deliveredIds()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L,
                15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(f.deadIds()).isEmpty();
        q.ack(c.deliveries());

        // with nobody to take it, the same message still expires within its task
        q.removeConsumer(c).join();
        q.enqueue(f.message(21, 0, ticking.get(), 10), null);
        assertThat(q.messageCount()).isZero();
        assertThat(f.deadIds()).containsExactly(21L);
    }

    @Test
    void oneTimerTaskAtATime() {
        MessageQueue q = f.queue(features().ttl(1000).build());
        for (int i = 0; i < 100; i++) {
            f.enqueue(q, i);
        }
        assertThat(f.timer.pending()).isEqualTo(1);
        f.timer.advance(1000);
        assertThat(q.messageCount()).isZero();
        assertThat(f.timer.pending()).isZero();
        assertThat(f.timer.scheduledTotal()).isEqualTo(1);
    }

    @Test
    void anEarlierHeadReArmsTheTimerEarlier() {
        MessageQueue q = f.queue(features().build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 1);
        q.addConsumer(c).join();
        q.enqueue(f.message(1, 0, Message.NEVER, 10), null); // delivered, unacked
        q.enqueue(f.message(2, 0, START + 1000, 10), null);
        assertThat(f.timer.pending()).isEqualTo(1);
        q.requeue(c.deliveries().get(0)); // back at the head: never expires, 2 waits behind it
        q.enqueue(f.message(3, 0, START + 10, 10), null);
        assertThat(q.messageCount()).isEqualTo(3);
        assertThat(getId(q)).isEqualTo(1);
        f.timer.advance(10); // 2 is the head until 1000, 3 waits behind it
        assertThat(q.messageCount()).isEqualTo(2);
        f.timer.advance(990);
        assertThat(q.messageCount()).isZero();
    }

    @Test
    void requeuedMessagesKeepTheirExpiry() {
        MessageQueue q = f.queue(features().ttl(100).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.withCredit("c", 1);
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        f.timer.advance(150);
        q.requeue(c.deliveries().get(0));
        assertThat(q.messageCount()).isZero();
        assertThat(f.reasons()).containsExactly(DeadReason.EXPIRED);
    }

    @Test
    void aMessageRequeuedWithinTheMillisecondOfItsExpiryIsNotDeliveredAgain() {
        // TTL 0: due the moment it arrives, so it reached the waiting consumer; back within the same millisecond,
        // it was delivered before, and in RabbitMQ's microseconds its expiry has passed
        MessageQueue q = f.queue(features().ttl(0).dlx("dlx", null).build());
        RecordingConsumer c = RecordingConsumer.unlimited("c");
        q.addConsumer(c).join();
        f.enqueue(q, 1);
        assertThat(c.deliveredIds()).containsExactly(1L);
        q.requeue(c.deliveries().get(0));
        assertThat(c.deliveredIds()).as("not delivered again").containsExactly(1L);
        assertThat(q.messageCount()).isZero();
        assertThat(f.reasons()).containsExactly(DeadReason.EXPIRED);

        // one with time left is delivered again, as before
        MessageQueue later = f.queue(features().ttl(100).build());
        RecordingConsumer d = RecordingConsumer.unlimited("d");
        later.addConsumer(d).join();
        f.enqueue(later, 2);
        f.timer.advance(99);
        later.requeue(d.deliveries().get(0));
        assertThat(d.deliveredIds()).containsExactly(2L, 2L);
        later.ack(List.of(d.deliveries().get(1)));
    }

    @Test
    void pagedMessagesKeepTheirExpiryAndAreReadBackOnlyToBeDeadLettered() {
        Residency small = new Residency(2, 1 << 20);
        MessageQueue dropping = f.queue(features().ttl(100).build(), small, f.spill);
        f.enqueue(dropping, 1, 2, 3, 4, 5);
        assertThat(dropping.pagingStats().join()[0]).isEqualTo(3);
        assertThat(f.spill.size()).isEqualTo(3);
        f.timer.advance(100);
        assertThat(dropping.messageCount()).isZero();
        assertThat(f.spill.size()).as("discarded unread").isZero();
        assertThat(f.deadLetters).isEmpty();

        MessageQueue dead = f.queue(features().ttl(100).dlx("dlx", null).build(), small, f.spill);
        f.enqueue(dead, 11, 12, 13, 14, 15);
        f.timer.advance(100);
        assertThat(dead.messageCount()).isZero();
        assertThat(f.spill.size()).isZero();
        assertThat(f.deadIds()).containsExactly(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void pagedExpiryReachesTheHeadAfterThePagedInOnesGo() {
        Residency small = new Residency(1, 1 << 20);
        MessageQueue q = f.queue(features().build(), small, f.spill);
        q.enqueue(f.message(1, 0, Message.NEVER, 10), null);
        q.enqueue(f.message(2, 0, START + 10, 10), null); // paged
        f.timer.advance(20);
        assertThat(getId(q)).isEqualTo(1);
        assertThat(q.messageCount()).isZero();
        assertThat(getId(q)).isEqualTo(-1);
    }

    @Test
    void priorityLanesExpireTheirOwnHeads() {
        MessageQueue q = f.queue(features().maxPriority(5).dlx("dlx", null).build());
        q.enqueue(f.message(1, 1, Message.NEVER, 10), null);
        q.enqueue(f.message(2, 5, START + 10, 10), null);
        q.enqueue(f.message(3, 1, START + 20, 10), null); // behind 1 in its lane
        q.enqueue(f.message(4, 3, START + 30, 10), null);
        f.timer.advance(30);
        assertThat(f.deadIds()).containsExactly(2L, 4L);
        assertThat(f.drainIds(q)).containsExactly(1L);
        assertThat(f.deadIds()).containsExactly(2L, 4L, 3L);
    }

    @Test
    void deletionCancelsTheTimer() {
        MessageQueue q = f.queue(features().ttl(100).build());
        f.enqueue(q, 1);
        assertThat(f.timer.pending()).isEqualTo(1);
        q.delete(false, false).join();
        assertThat(f.timer.pending()).isZero();
    }

    @Test
    void deliverySkipsExpiredHeadsBeforeTakingCredit() {
        FeatureFixture g = new FeatureFixture();
        // a timer that never runs: only the delivery path can notice the expiry
        SerialExecutor executor = new SerialExecutor(Runnable::run, "q", 64, g.failures::add);
        long[] clock = {START};
        QueueHooks hooks = new QueueHooks(() -> clock[0], g.timer, g.sink, null);
        MessageQueue q = new MessageQueue("/", QueueSettings.named("q"), executor, x -> {}, null, null,
                Residency.DEFAULT, features().dlx("dlx", null).build(), hooks);
        RecordingConsumer c = RecordingConsumer.withCredit("c", 0);
        q.addConsumer(c).join();
        q.enqueue(g.message(1, 0, START + 10, 10), null);
        q.enqueue(g.message(2, 0, Message.NEVER, 10), null);
        clock[0] = START + 11;
        c.addCredit(1);
        q.consumerReady();
        assertThat(c.deliveredIds()).containsExactly(2L);
        assertThat(g.deadIds()).containsExactly(1L);
        q.ack(c.deliveries());
        g.close();
    }
}
