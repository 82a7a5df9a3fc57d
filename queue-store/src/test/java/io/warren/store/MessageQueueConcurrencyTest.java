package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publishers, queues and "channels" on real threads, as in the broker; waits with Awaitility. */
class MessageQueueConcurrencyTest {

    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 3_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
    private final QueueFixture fixture = new QueueFixture();

    @AfterEach
    void stop() throws InterruptedException {
        publishers.shutdownNow();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        fixture.assertNoFailures();
    }

    /** A consumer whose channel (its own thread) acks or requeues each delivery, then returns the credit. */
    private static final class ChannelConsumer extends RecordingConsumer {
        private final ExecutorService channel = Executors.newSingleThreadExecutor();
        private final AtomicInteger credit;
        private final AtomicInteger acked;
        private final List<Long> firstDeliveries;

        ChannelConsumer(String tag, int prefetch, AtomicInteger acked, List<Long> firstDeliveries) {
            super(tag, false, 0, 0, false);
            this.credit = new AtomicInteger(prefetch);
            this.acked = acked;
            this.firstDeliveries = firstDeliveries;
        }

        @Override
        public boolean tryAcquireCredit() {
            return credit.getAndUpdate(c -> c > 0 ? c - 1 : c) > 0;
        }

        @Override
        public void deliver(MessageQueue queue, QueueEntry entry) {
            boolean redelivered = entry.redelivered(); // read before the hand-off: a requeue may change it
            if (!redelivered) {
                firstDeliveries.add(entry.message().id()); // the queue thread: one at a time
            }
            channel.execute(() -> {
                if (!redelivered && ThreadLocalRandom.current().nextInt(10) == 0) {
                    queue.requeue(entry);
                } else {
                    queue.ack(entry);
                    acked.incrementAndGet();
                }
                credit.incrementAndGet();
                queue.consumerReady();
            });
        }

        void close() {
            channel.shutdownNow();
        }
    }

    @Test
    void everyMessageIsDeliveredInPublishOrderAndReleasedExactlyOnce() {
        MessageQueue queue = fixture.queue(QueueSettings.named("busy"), pool, SerialExecutor.DEFAULT_TASKS_PER_TURN);
        AtomicInteger acked = new AtomicInteger();
        List<Long> firstDeliveries = new ArrayList<>(); // written on the queue's executor only
        List<ChannelConsumer> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            ChannelConsumer consumer = new ChannelConsumer("c" + c, 20, acked, firstDeliveries);
            consumers.add(consumer);
            queue.addConsumer(consumer);
        }
        Map<Long, Message> published = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        EnqueueOutcome outcome = new EnqueueOutcome() {
            @Override
            public void accepted(MessageQueue q) {
                accepted.incrementAndGet();
            }

            @Override
            public void rejected(MessageQueue q) {
                throw new AssertionError("rejected");
            }
        };
        for (int p = 0; p < PUBLISHERS; p++) {
            long base = (long) p * 1_000_000;
            publishers.execute(() -> {
                for (long i = 0; i < PER_PUBLISHER; i++) {
                    Message message = TestMessages.message(base + i);
                    published.put(message.id(), message);
                    queue.enqueue(message, outcome);
                }
            });
        }
        int total = PUBLISHERS * PER_PUBLISHER;
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> acked.get() == total);
            await().atMost(10, TimeUnit.SECONDS).until(() -> queue.unackedCount() == 0 && queue.messageCount() == 0);
        } finally {
            consumers.forEach(ChannelConsumer::close);
        }

        assertThat(accepted).hasValue(total);
        assertThat(published.values()).hasSize(total).allSatisfy(m -> assertThat(m.refCnt()).isZero());
        // First deliveries follow each publisher's order: FIFO per queue, whatever the interleaving.
        long[] last = new long[PUBLISHERS];
        Arrays.fill(last, -1);
        // Visible here: each write happened before the ack counted by 'acked'.
        assertThat(firstDeliveries).hasSize(total);
        for (long id : firstDeliveries) {
            int p = (int) (id / 1_000_000);
            assertThat(id % 1_000_000).isGreaterThan(last[p]);
            last[p] = id % 1_000_000;
        }
    }

    @Test
    void countersAreReadableFromAnyThread() {
        MessageQueue queue = fixture.queue(QueueSettings.named("counted"), pool, SerialExecutor.DEFAULT_TASKS_PER_TURN);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Message message = TestMessages.message(i);
            messages.add(message);
            queue.enqueue(message, null);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.messageCount() == 1_000);
        assertThat(queue.purge()).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(1_000);
        assertThat(queue.messageCount()).isZero();
        assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
    }
}
