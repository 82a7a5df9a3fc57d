package io.warren.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryAlarmTest {
  @Test
  void raisesAboveTheLimitAndClearsBelowIt() {
    AtomicLong used = new AtomicLong(10);
    List<Boolean> seen = new ArrayList<>();
    try (MemoryAlarm alarm = new MemoryAlarm(100, used::get, false)) {
      alarm.register(seen::add);
      alarm.check();
      assertThat(seen).isEmpty();
      used.set(101);
      alarm.check();
      alarm.check();
      assertThat(alarm.raised()).isTrue();
      used.set(50);
      alarm.check();
      assertThat(alarm.raised()).isFalse();
      assertThat(seen).containsExactly(true, false);
    }
  }

  @Test
  void aListenerRegisteringDuringAnAlarmIsToldAtOnce() {
    try (MemoryAlarm alarm = new MemoryAlarm(1, () -> 2, false)) {
      alarm.check();
      List<Boolean> seen = new ArrayList<>();
      alarm.register(seen::add);
      assertThat(seen).containsExactly(true);
    }
  }

  @Test
  void tellsWhetherUsageIsAboveTheSpillWatermark() {
    AtomicLong used = new AtomicLong(0);
    try (MemoryAlarm alarm = new MemoryAlarm(1000, 500, used::get, false);
        MemoryAlarm always = new MemoryAlarm(1000, 0, used::get, false)) {
      alarm.check();
      assertThat(alarm.aboveSpillWatermark()).isFalse();
      assertThat(always.aboveSpillWatermark()).isTrue();
      used.set(501);
      alarm.check();
      assertThat(alarm.aboveSpillWatermark()).isTrue();
      assertThat(alarm.raised()).isFalse();
    }
  }

  @Test
  void theDetectedLimitIsNoMoreThanTheJvmCanHold() {
    assertThat(MemoryLimit.detected()).isPositive().isLessThanOrEqualTo(MemoryLimit.jvmCapacity());
    assertThat(MemoryLimit.total(123L << 20)).isEqualTo(123L << 20);
    assertThat(MemoryLimit.residentBytes()).isPositive();
  }

  @Test
  void anAlarmRaisedByHandHoldsUntilClearedByHandWhateverTheReadings() {
    AtomicLong used = new AtomicLong(10);
    List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (MemoryAlarm alarm = new MemoryAlarm(100, used::get, false)) {
      alarm.register(seen::add);
      alarm.setByHand(true);
      assertThat(alarm.raised()).isTrue();
      assertThat(alarm.raisedByHand()).isTrue();
      used.set(101);
      alarm.check();
      used.set(10);
      alarm.check();
      assertThat(alarm.raised()).as("a reading below the limit does not clear an alarm set by hand").isTrue();
      used.set(101);
      alarm.check();
      alarm.setByHand(false);
      assertThat(alarm.raised()).as("still over the limit").isTrue();
      used.set(10);
      alarm.check();
      assertThat(alarm.raised()).isFalse();
      assertThat(seen).containsExactly(true, false);
    }
  }

  @Test
  void aNewLimitRaisesOrClearsTheAlarmBeforeItReturns() {
    try (MemoryAlarm alarm = new MemoryAlarm(1000, 500, () -> 100, false)) {
      alarm.check();
      assertThat(alarm.raised()).isFalse();
      alarm.setLimit(99, 50);
      assertThat(alarm.raised()).isTrue();
      assertThat(alarm.limitBytes()).isEqualTo(99);
      assertThat(alarm.aboveSpillWatermark()).isTrue();
      alarm.setLimit(0, 0);
      assertThat(alarm.raised()).as("0 blocks publishers at once, as RabbitMQ's watermark 0").isTrue();
      alarm.setLimit(1000, 500);
      assertThat(alarm.raised()).isFalse();
      assertThat(alarm.aboveSpillWatermark()).isFalse();
    }
  }

  @Test
  void measuresSomethingReal() {
    assertThat(MemoryAlarm.used()).isPositive();
  }
}
