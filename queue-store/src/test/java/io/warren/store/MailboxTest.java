package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MailboxTest {

    private final MessageQueue owner = new QueueFixture().queue("mailbox");
    // Never released: empty buffers are not tracked.
    private final Message message = new Message(0, "", "", Unpooled.EMPTY_BUFFER, Unpooled.EMPTY_BUFFER, false, 0);

    private QueueEntry entry(long tag) {
        QueueEntry e = new QueueEntry(owner, message, null);
        e.seq = tag;
        return e;
    }

    /** Takes everything posted, in order, making each entry postable again. */
    private static List<QueueEntry> takeAll(Mailbox mailbox) {
        List<QueueEntry> taken = new ArrayList<>();
        QueueEntry e = mailbox.takeAll();
        while (e != null) {
            QueueEntry next = e.next;
            e.next = null;
            e.op = QueueEntry.OP_NONE;
            taken.add(e);
            e = next;
        }
        return taken;
    }

    @Test
    void givesBackEntriesOldestFirstWithTheirOperation() {
        Mailbox mailbox = new Mailbox();
        QueueEntry a = entry(1);
        QueueEntry b = entry(2);
        QueueEntry c = entry(3);
        assertThat(mailbox.post(a, QueueEntry.OP_ACK)).isTrue();
        assertThat(mailbox.postAll(List.of(b, c), QueueEntry.OP_REQUEUE)).isEqualTo(2);
        assertThat(b.op).isEqualTo(QueueEntry.OP_REQUEUE);

        assertThat(takeAll(mailbox)).containsExactly(a, b, c);
        assertThat(mailbox.takeAll()).isNull();
    }

    @Test
    void refusesAnEntryThatIsAlreadyPosted() {
        Mailbox mailbox = new Mailbox();
        QueueEntry a = entry(1);
        QueueEntry b = entry(2);
        assertThat(mailbox.post(a, QueueEntry.OP_ACK)).isTrue();
        assertThat(mailbox.post(a, QueueEntry.OP_ACK)).isFalse();
        assertThat(mailbox.postAll(List.of(b, a, b), QueueEntry.OP_DISCARD)).isEqualTo(1);

        assertThat(takeAll(mailbox)).containsExactly(a, b);
        assertThat(mailbox.post(a, QueueEntry.OP_REQUEUE)).as("postable again once taken").isTrue();
    }

    @Test
    void losesNothingAndKeepsEachProducersOrderUnderContention() throws Exception {
        Mailbox mailbox = new Mailbox();
        int producers = 4;
        int perProducer = 20_000;
        ExecutorService threads = Executors.newFixedThreadPool(producers);
        CountDownLatch finished = new CountDownLatch(producers);
        try {
            for (int p = 0; p < producers; p++) {
                long base = (long) p * perProducer;
                threads.execute(() -> {
                    for (int i = 0; i < perProducer; i += 2) {
                        if (i % 4 == 0) {
                            mailbox.post(entry(base + i), QueueEntry.OP_ENQUEUE);
                            mailbox.post(entry(base + i + 1), QueueEntry.OP_ENQUEUE);
                        } else {
                            mailbox.postAll(List.of(entry(base + i), entry(base + i + 1)), QueueEntry.OP_ENQUEUE);
                        }
                    }
                    finished.countDown();
                });
            }
            long[] last = {-1, -1, -1, -1};
            int seen = 0;
            boolean producersDone = false;
            while (!producersDone) {
                // Read the latch before draining: whatever was posted before it counted down is taken below.
                producersDone = finished.await(1, TimeUnit.MILLISECONDS);
                for (QueueEntry e : takeAll(mailbox)) {
                    int p = (int) (e.seq / perProducer);
                    assertThat(e.seq).isEqualTo(last[p] == -1 ? (long) p * perProducer : last[p] + 1);
                    last[p] = e.seq;
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(producers * perProducer);
            assertThat(mailbox.takeAll()).isNull();
        } finally {
            threads.shutdownNow();
        }
    }
}
