package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReadyEntriesProperties {

    private final MessageQueue owner = new QueueFixture().queue("ready");
    // Never released: empty buffers are not tracked.
    private final Message message = new Message(0, "", "", Unpooled.EMPTY_BUFFER, Unpooled.EMPTY_BUFFER, false, 0);

    private QueueEntry entry(long seq) {
        QueueEntry e = new QueueEntry(owner, message, null);
        e.seq = seq;
        return e;
    }

    /** Ops: 0/1 append a new entry, 2 take the head, 3 put back a taken entry: always ordered by seq. */
    @Property(tries = 300)
    void staysOrderedBySeq(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 3) Integer> ops,
                           @ForAll @IntRange(min = 0, max = 1000) int pick) {
        ReadyEntries ready = new ReadyEntries();
        TreeMap<Long, QueueEntry> model = new TreeMap<>();
        List<QueueEntry> taken = new ArrayList<>();
        long next = 0;
        for (int op : ops) {
            switch (op) {
                case 0, 1 -> {
                    QueueEntry e = entry(next++);
                    ready.addLast(e);
                    model.put(e.seq, e);
                }
                case 2 -> {
                    QueueEntry head = ready.pollFirst();
                    var expected = model.pollFirstEntry();
                    assertThat(head).isSameAs(expected == null ? null : expected.getValue());
                    if (head != null) {
                        taken.add(head);
                    }
                }
                default -> {
                    if (!taken.isEmpty()) {
                        QueueEntry back = taken.remove((pick + taken.size()) % taken.size());
                        ready.insert(back);
                        model.put(back.seq, back);
                    }
                }
            }
            assertThat(ready.size()).isEqualTo(model.size());
            assertThat(ready.peekFirst()).isSameAs(model.isEmpty() ? null : model.firstEntry().getValue());
        }
        List<QueueEntry> all = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            all.add(ready.get(i));
        }
        assertThat(all).containsExactlyElementsOf(model.values());
    }

    @Test
    void growsAndWrapsAround() {
        ReadyEntries ready = new ReadyEntries();
        long next = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3000; i++) {
                ready.addLast(entry(next++));
            }
            for (int i = 0; i < 2999; i++) {
                ready.pollFirst();
            }
        }
        assertThat(ready.size()).isEqualTo(5);
        assertThat(ready.get(0).seq).isEqualTo(next - 5);
    }

    @Test
    void refusesOutOfOrderAppendsAndDuplicateInserts() {
        ReadyEntries ready = new ReadyEntries();
        QueueEntry five = entry(5);
        ready.addLast(five);
        ready.addLast(entry(6));
        assertThatThrownBy(() -> ready.addLast(entry(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ready.insert(entry(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ready.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        ready.insert(entry(3));
        assertThat(ready.pollFirst().seq).isEqualTo(3);
        assertThat(ready.pollFirst()).isSameAs(five);
    }
}
