package io.warren.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over between the read-ahead and the firing thread keeps due order, however slow a read-back is. */
class ScheduledSetTest {

  @Test
  void aMessageStagedEarlierDoesNotFireBeforeAnEarlierOneStillBeingReadBack() throws Exception {
    ScheduledSet set = new ScheduledSet(Clock.fixed(Instant.ofEpochMilli(10_400), ZoneOffset.UTC));
    long[] dues = new long[8];
    long[] entries = new long[8];
    set.add(10_300, 1); // scheduled first, due later
    assertThat(set.takeSoonDue(dues, entries)).isEqualTo(1);
    set.stage(dues, entries, new DueDelivery.Prepared[8], 1);
    set.add(10_250, 2); // scheduled a little later with a shorter delay: due first
    assertThat(set.takeSoonDue(dues, entries)).isEqualTo(1);
    assertThat(entries[0]).isEqualTo(2);

    // both are due (the firing thread comes late on a busy machine), but 2 is in the read-ahead's hands: the firing
    // thread waits for it rather than firing 1 first
    ScheduledSet late = set;
    long[] fired = new long[8];
    long[] firedDues = new long[8];
    CompletableFuture<Integer> firing = CompletableFuture.supplyAsync(() -> {
      try {
        return late.takeDue(fired, firedDues, new DueDelivery.Prepared[8]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100); // the slow read-back; takeDue must not return meanwhile
    assertThat(firing).isNotDone();
    set.stage(new long[] {10_250}, new long[] {2}, new DueDelivery.Prepared[1], 1);
    assertThat(firing.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(fired).startsWith(2, 1);
    set.close();
  }
}
