package io.warren.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DueHeapTest {

  @Test
  void pollsInDueThenEntryOrderLikeAPriorityQueue() {
    Random random = new Random(42);
    DueHeap heap = new DueHeap();
    PriorityQueue<long[]> oracle = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    long entry = 0;
    for (int round = 0; round < 50; round++) {
      int adds = random.nextInt(5000);
      for (int i = 0; i < adds; i++) {
        long due = random.nextInt(1000); // many ties: equal dues come out by entry (publish) order
        heap.add(due, entry);
        oracle.add(new long[] {due, entry});
        entry++;
      }
      int polls = random.nextInt(heap.size() + 1);
      for (int i = 0; i < polls; i++) {
        long[] expected = oracle.poll();
        assertThat(new long[] {heap.peekDue(), heap.peekEntry()}).containsExactly(expected);
        heap.poll();
      }
      assertThat(heap.size()).isEqualTo(oracle.size());
    }
    List<Long> rest = new ArrayList<>();
    while (heap.size() > 0) {
      assertThat(heap.peekEntry()).isEqualTo(oracle.poll()[1]);
      rest.add(heap.peekDue());
      heap.poll();
    }
    assertThat(rest).isSorted();
  }

  @Test
  void aDrainedHeapCanBeReused() {
    DueHeap heap = new DueHeap();
    for (int i = 200_000; i > 0; i--) {
      heap.add(i, i);
    }
    for (int i = 1; i <= 200_000; i++) {
      assertThat(heap.peekDue()).isEqualTo(i);
      heap.poll();
    }
    heap.add(7, 1);
    assertThat(heap.size()).isEqualTo(1);
    assertThat(heap.peekDue()).isEqualTo(7);
  }

  @Test
  void delayHeaderFollowsThePlugin() {
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", 5000))).isEqualTo(5000);
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", "250"))).isEqualTo(250);
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", 12.9))).isEqualTo(12);
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", -5))).isZero();
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", 4_294_967_296L))).isZero();
    assertThat(DelayHeader.delay(java.util.Map.of("x-delay", true))).isZero();
    assertThat(DelayHeader.delay(java.util.Map.of())).isZero();
  }
}
