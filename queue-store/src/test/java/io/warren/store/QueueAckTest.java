package io.warren.store;

import static io.warren.store.QueueFixture.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ack, requeue, discard and reference counts. */
class QueueAckTest {

    private final QueueFixture fixture = new QueueFixture();
    private final MessageQueue queue = fixture.queue("q");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void ackReleasesTheQueuesReference() {
        Message[] messages = fixture.enqueue(queue, 1, 2);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));
        assertThat(messages[0].refCnt()).isEqualTo(1);

        queue.ack(consumer.deliveries().get(0));
        assertThat(messages[0].refCnt()).isZero();
        assertThat(messages[0].body().refCnt()).isZero();
        assertThat(messages[1].refCnt()).isEqualTo(1);
        assertThat(queue.unackedCount()).isEqualTo(1);

        queue.ack(List.of(consumer.deliveries().get(1)));
        assertThat(messages[1].refCnt()).isZero();
        assertThat(queue.unackedCount()).isZero();
    }

    @Test
    void requeuedMessagesReturnToTheirPlaceAheadOfNewerOnes() {
        fixture.enqueue(queue, 1, 2, 3, 4, 5);
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 3);
        done(queue.addConsumer(consumer));
        List<QueueEntry> held = consumer.deliveries();
        done(queue.removeConsumer(consumer));

        queue.requeue(List.of(held.get(2), held.get(0))); // out of order on purpose
        assertThat(queue.messageCount()).isEqualTo(4);
        assertThat(queue.unackedCount()).isEqualTo(1);

        List<GetResult> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queue.get(true, new RecordingGet(got));
        }
        assertThat(got).extracting(r -> r.entry().message().id()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(got).extracting(r -> r.entry().redelivered()).containsExactly(true, true, false, false);
        assertThat(got).extracting(r -> r.entry().deliveryCount()).containsExactly(1, 1, 0, 0);
        assertThat(got).extracting(GetResult::messageCount).containsExactly(3, 2, 1, 0);
        got.forEach(r -> r.entry().message().release()); // no-ack gets own their reference
        queue.ack(held.get(1));
    }

    @Test
    void aRequeuedBatchIsBackInPlaceBeforeAnyOfItIsRedelivered() {
        fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 2);
        done(queue.addConsumer(consumer));
        List<QueueEntry> held = consumer.deliveries();

        consumer.addCredit(1);
        queue.requeue(List.of(held.get(1), held.get(0))); // newest first, as a channel might
        assertThat(consumer.deliveredIds()).containsExactly(1L, 2L, 1L);
        assertThat(queue.messageCount()).isEqualTo(2);
    }

    @Test
    void aRequeuedMessageGoesStraightToAConsumerWithCredit() {
        Message[] messages = fixture.enqueue(queue, 1);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));
        QueueEntry first = consumer.deliveries().get(0);

        queue.requeue(first);
        queue.requeue(first);
        queue.requeue(first); // the second and third find it delivered again: fine, requeued again
        assertThat(consumer.deliveries()).hasSize(4).allSatisfy(e -> assertThat(e).isSameAs(first));
        assertThat(first.redelivered()).isTrue();
        assertThat(first.deliveryCount()).isEqualTo(3);
        queue.ack(first);
        assertThat(messages[0].refCnt()).isZero();
    }

    @Test
    void discardDropsTheMessage() {
        Message[] messages = fixture.enqueue(queue, 1, 2);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));
        queue.discard(consumer.deliveries().get(0));
        queue.discard(List.of(consumer.deliveries().get(1)));
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
        assertThat(queue.unackedCount()).isZero();
        assertThat(queue.messageCount()).isZero();
    }

    @Test
    void aSecondAckOrAnAckOfAReadyEntryIsHarmless() {
        Message[] messages = fixture.enqueue(queue, 1, 2);
        RecordingConsumer consumer = RecordingConsumer.withCredit("c", 1);
        done(queue.addConsumer(consumer));
        QueueEntry entry = consumer.deliveries().get(0);
        queue.ack(entry);
        queue.ack(entry);
        queue.requeue(entry);
        queue.discard(entry);
        assertThat(messages[0].refCnt()).isZero();
        assertThat(queue.unackedCount()).isZero();

        done(queue.removeConsumer(consumer));
        List<GetResult> got = new ArrayList<>();
        queue.get(false, new RecordingGet(got));
        QueueEntry second = got.get(0).entry();
        queue.requeue(second);
        queue.ack(second); // ready again, not unacked: ignored
        assertThat(messages[1].refCnt()).isEqualTo(1);
        assertThat(queue.messageCount()).isEqualTo(1);
        assertThat(done(queue.purge())).isEqualTo(1);
        assertThat(messages[1].refCnt()).isZero();
    }

    @Test
    void aNoAckConsumerReceivesTheQueuesReference() {
        Message[] messages = fixture.enqueue(queue, 1, 2);
        RecordingConsumer consumer = RecordingConsumer.noAck("c");
        done(queue.addConsumer(consumer));

        assertThat(queue.messageCount()).isZero();
        assertThat(queue.unackedCount()).isZero();
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isEqualTo(1));
        queue.ack(consumer.deliveries().get(0)); // not unacked: ignored, no double release
        assertThat(messages[0].refCnt()).isEqualTo(1);
        consumer.deliveries().forEach(e -> e.message().release());
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
    }

    @Test
    void removingAConsumerLeavesItsUnackedMessagesToTheChannel() {
        Message[] messages = fixture.enqueue(queue, 1, 2, 3);
        RecordingConsumer first = RecordingConsumer.withCredit("first", 2);
        done(queue.addConsumer(first));
        done(queue.removeConsumer(first));
        assertThat(queue.unackedCount()).isEqualTo(2);
        assertThat(queue.messageCount()).isEqualTo(1);
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isEqualTo(1));

        RecordingConsumer second = RecordingConsumer.unlimited("second");
        done(queue.addConsumer(second));
        queue.requeue(first.deliveries()); // what the channel does when it closes
        assertThat(second.deliveredIds()).containsExactly(3L, 1L, 2L);
        assertThat(second.deliveries()).extracting(QueueEntry::redelivered).containsExactly(false, true, true);
        queue.ack(second.deliveries());
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
    }

    @Test
    void oneMessageSharedByTwoQueuesLivesUntilBothLetGo() {
        MessageQueue other = fixture.queue("other");
        Message message = fixture.message(1);
        message.retain(); // one reference per queue
        queue.enqueue(message, null);
        other.enqueue(message, null);
        RecordingConsumer consumer = RecordingConsumer.unlimited("c");
        done(queue.addConsumer(consumer));

        assertThat(consumer.deliveries().get(0).message()).isSameAs(message);
        queue.ack(consumer.deliveries().get(0));
        assertThat(message.refCnt()).isEqualTo(1);
        assertThat(done(other.purge())).isEqualTo(1);
        assertThat(message.refCnt()).isZero();
    }

    @Test
    void refusesEntriesOfAnotherQueue() {
        MessageQueue other = fixture.queue("other");
        fixture.enqueue(other, 1);
        List<GetResult> got = new ArrayList<>();
        other.get(false, new RecordingGet(got));
        QueueEntry foreign = got.get(0).entry();
        assertThatThrownBy(() -> queue.ack(foreign)).isInstanceOf(IllegalArgumentException.class);
        other.ack(foreign);
        assertThat(foreign.message().refCnt()).isZero();
    }
}
