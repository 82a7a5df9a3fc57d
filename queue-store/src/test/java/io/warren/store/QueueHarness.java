package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A real queue (same-thread executor, one ack-mode consumer whose credit the test grants) next to a plain
 * model of what RabbitMQ would do; every step is applied to both and then compared. Test thread only.
 */
final class QueueHarness {

    /** The model's view of one message. */
    private static final class Expected {
        final long id;
        boolean redelivered;
        int deliveryCount;
        QueueEntry entry; // the real entry, once seen

        Expected(long id) {
            this.id = id;
        }
    }

    private final QueueFixture fixture = new QueueFixture();
    private final MessageQueue queue = fixture.queue("model");
    private final RecordingConsumer consumer = RecordingConsumer.withCredit("c", 0);
    private final List<Message> everything = new ArrayList<>();
    private final List<Expected> ready = new ArrayList<>(); // ordered by id, which is enqueue order
    private final List<Expected> unacked = new ArrayList<>(); // what the "channel" holds
    private final List<Message> gone = new ArrayList<>();
    private int credit;
    private int seenDeliveries;

    QueueHarness() {
        queue.addConsumer(consumer).join();
    }

    void enqueue() {
        Message message = fixture.message(everything.size());
        everything.add(message);
        ready.add(new Expected(message.id()));
        queue.enqueue(message, null);
        settle();
    }

    void grant(int n) {
        credit += n;
        consumer.addCredit(n);
        queue.consumerReady();
        settle();
    }

    void get(boolean noAck) {
        List<GetResult> got = new ArrayList<>();
        queue.get(noAck, new RecordingGet(got));
        assertThat(got).hasSize(1);
        if (ready.isEmpty()) {
            assertThat(got.get(0).isEmpty()).isTrue();
        } else {
            Expected expected = ready.remove(0);
            QueueEntry entry = got.get(0).entry();
            check(entry, expected);
            assertThat(got.get(0).messageCount()).isEqualTo(ready.size());
            if (noAck) {
                entry.message().release(); // a no-ack get owns the reference
                gone.add(entry.message());
            } else {
                unacked.add(expected);
            }
        }
        settle();
    }

    void ack(int pick) {
        Expected e = unacked.remove(pick % unacked.size());
        queue.ack(e.entry);
        gone.add(e.entry.message());
        settle();
    }

    void discard(int pick) {
        Expected e = unacked.remove(pick % unacked.size());
        queue.discard(e.entry);
        gone.add(e.entry.message());
        settle();
    }

    void requeue(int pick) {
        requeue(List.of(unacked.remove(pick % unacked.size())));
    }

    /** All held entries, newest first, as a channel closing in a hurry might. */
    void requeueAll() {
        List<Expected> all = new ArrayList<>(unacked);
        unacked.clear();
        all.sort(Comparator.comparingLong((Expected e) -> e.id).reversed());
        requeue(all);
    }

    private void requeue(List<Expected> back) {
        List<QueueEntry> entries = new ArrayList<>();
        for (Expected e : back) {
            e.redelivered = true;
            e.deliveryCount++;
            ready.add(e);
            entries.add(e.entry);
        }
        ready.sort(Comparator.comparingLong(e -> e.id));
        queue.requeue(entries);
        settle();
    }

    void purge() {
        int expected = ready.size();
        for (Expected e : ready) {
            gone.add(everything.get((int) e.id));
        }
        ready.clear();
        assertThat(queue.purge().join()).isEqualTo(expected);
        settle();
    }

    boolean holdsUnacked() {
        return !unacked.isEmpty();
    }

    /** The model delivers like the queue: while the consumer has credit, the oldest ready message goes. */
    private void settle() {
        while (credit > 0 && !ready.isEmpty()) {
            credit--;
            unacked.add(ready.remove(0));
            List<QueueEntry> delivered = consumer.deliveries();
            assertThat(delivered.size()).as("deliveries").isGreaterThan(seenDeliveries);
            check(delivered.get(seenDeliveries++), unacked.get(unacked.size() - 1));
        }
        assertThat(consumer.deliveries()).as("no unexpected delivery").hasSize(seenDeliveries);
        assertThat(queue.messageCount()).as("messageCount").isEqualTo(ready.size());
        assertThat(queue.unackedCount()).as("unackedCount").isEqualTo(unacked.size());
        for (Expected e : ready) {
            assertThat(everything.get((int) e.id).refCnt()).as("ready %d", e.id).isEqualTo(1);
        }
        for (Expected e : unacked) {
            assertThat(e.entry.message().refCnt()).as("unacked %d", e.id).isEqualTo(1);
        }
        for (Message m : gone) {
            assertThat(m.refCnt()).as("gone %d", m.id()).isZero();
        }
        fixture.assertNoFailures();
    }

    private static void check(QueueEntry entry, Expected expected) {
        assertThat(entry.message().id()).as("FIFO position").isEqualTo(expected.id);
        assertThat(entry.redelivered()).as("redelivered %d", expected.id).isEqualTo(expected.redelivered);
        assertThat(entry.deliveryCount()).as("deliveryCount %d", expected.id).isEqualTo(expected.deliveryCount);
        expected.entry = entry;
    }

    /** Lets go of everything and checks that every reference reached 0 exactly once. */
    void drain() {
        queue.ack(unacked.stream().map(e -> e.entry).toList());
        unacked.forEach(e -> gone.add(e.entry.message()));
        unacked.clear();
        assertThat(queue.delete(false, false).join()).isEqualTo(ready.size());
        ready.forEach(e -> gone.add(everything.get((int) e.id)));
        ready.clear();
        assertThat(everything).allSatisfy(m -> assertThat(m.refCnt()).isZero());
        fixture.assertNoFailures();
    }

    @Override
    public String toString() {
        return "QueueHarness[ready=" + ready.size() + ", unacked=" + unacked.size() + ", credit=" + credit + "]";
    }
}
