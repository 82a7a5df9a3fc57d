package io.warren.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskAlarmTest {
  @Test
  void raisesBelowTheFreeLimitAndClearsAboveIt() {
    AtomicLong free = new AtomicLong(1000);
    List<Boolean> seen = new ArrayList<>();
    try (DiskAlarm alarm = new DiskAlarm(100, free::get, false)) {
      alarm.register(seen::add);
      alarm.check();
      assertThat(alarm.raised()).isFalse();
      free.set(99);
      alarm.check();
      alarm.check();
      assertThat(alarm.raised()).isTrue();
      assertThat(alarm.reason()).isEqualTo("low on disk");
      free.set(100);
      alarm.check();
      assertThat(alarm.raised()).isFalse();
      assertThat(seen).containsExactly(true, false);
    }
  }

  @Test
  void aFailingReadingKeepsTheLastState() {
    AtomicLong free = new AtomicLong(1);
    try (DiskAlarm alarm = new DiskAlarm(100, () -> {
      if (free.get() < 0) {
        throw new IllegalStateException("no file store");
      }
      return free.get();
    }, false)) {
      alarm.check();
      free.set(-1);
      alarm.check();
      assertThat(alarm.raised()).isTrue();
    }
  }

  @Test
  void measuresTheRealFileSystem(@TempDir Path dir) {
    assertThat(DiskAlarm.freeSpace(dir)).isPositive();
  }
}
