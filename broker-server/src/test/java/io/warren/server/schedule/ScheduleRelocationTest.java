package io.warren.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.server.durable.DefinitionLog;
import io.warren.server.vhost.BrokerVhost;
import io.warren.store.Message;
import io.warren.store.QueueSettings;
import io.warren.store.durable.MessageStore;
import io.warren.store.durable.RecoveredMessages;
import io.warren.store.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message scheduled far ahead is copied forward once the log has grown past it, so that it does not pin every later
 * segment: the copy replaces the old record (which is acked), survives a reopen, and is what fires when due.
 */
class ScheduleRelocationTest {
  private static final long BEHIND = 100_000;

  @TempDir
  Path dir;

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static ByteBuf emptyProperties() {
    return Unpooled.wrappedBuffer(new byte[] {0, 0}); // no property flags set
  }

  private static void noReplay(MessageStore store) throws Exception {
    store.recover(new MessageStore.DefinitionReplay() {
      @Override
      public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

      @Override
      public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
    }).close();
  }

  @Test
  void theRunningScheduleCopiesForwardByItselfWhileNothingFires() throws Exception {
    try (MessageStore store = MessageStore.open(dir, LogConfig.defaults().withMaxSegmentBytes(64 * 1024))) {
      noReplay(store);
      BrokerVhost vhost = new BrokerVhost("/", pool, new DefinitionLog(store));
      Schedule schedule = new Schedule(store, clock, Map.of("/", vhost), BEHIND);
      schedule.start();
      schedule.schedule(vhost, now.get() + 7 * 86_400_000L, 0, now.get(), Message.NEVER, "", "target",
          emptyProperties(), Unpooled.copiedBuffer("next week", StandardCharsets.UTF_8));
      ByteBuf filler = Unpooled.wrappedBuffer(new byte[1000]);
      for (int i = 0; i < 300; i++) {
        store.publish(0, "/", "", "other", List.of("other"), emptyProperties(), filler.duplicate());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> schedule.relocated() == 1);
      assertThat(schedule.size()).isEqualTo(1);
      schedule.close();
    }
  }

  @Test
  void aFarScheduledMessageIsCopiedForwardAndTheCopyFires() throws Exception {
    long original;
    long due = now.get() + 3_600_000;
    try (MessageStore store = MessageStore.open(dir, LogConfig.defaults().withMaxSegmentBytes(64 * 1024))) {
      noReplay(store);
      BrokerVhost vhost = new BrokerVhost("/", pool, new DefinitionLog(store));
      vhost.declare(new QueueSettings("target", true, false, false, Map.of()), null);
      Schedule schedule = new Schedule(store, clock, Map.of("/", vhost), BEHIND);
      original = schedule.schedule(vhost, due, 0, now.get(), Message.NEVER, "", "target", emptyProperties(),
          Unpooled.copiedBuffer("later", StandardCharsets.UTF_8));
      assertThat(schedule.relocate()).as("nothing is far behind the end yet").isZero();

      ByteBuf filler = Unpooled.wrappedBuffer(new byte[1000]);
      for (int i = 0; i < 300; i++) { // 300 KB of other traffic, past the 100 KB threshold
        store.publish(0, "/", "", "other", List.of("other"), emptyProperties(), filler.duplicate());
      }
      assertThat(schedule.relocate()).isEqualTo(1);
      assertThat(schedule.relocate()).as("the copy is recent").isZero();
      assertThat(schedule.size()).isEqualTo(1);
      store.syncedToEnd().get(5, TimeUnit.SECONDS);
      schedule.close();
    }

    // What a restart finds: only the copy, written after the filler.
    try (MessageStore store = MessageStore.open(dir, LogConfig.defaults().withMaxSegmentBytes(64 * 1024))) {
      RecoveredMessages.RecoveredQueue scheduled;
      try (RecoveredMessages recovered = store.recover(new MessageStore.DefinitionReplay() {
        @Override
        public void definition(long position, ByteBuf payload, RecoveredMessages messages) {}

        @Override
        public void snapshot(long position, ByteBuf payload, RecoveredMessages messages) {}
      })) {
        scheduled = recovered.takeQueue("/", Schedule.QUEUE);
      }
      assertThat(scheduled.size()).isEqualTo(1);
      assertThat(scheduled.ids()[0]).isGreaterThan(original + BEHIND);
      assertThat(scheduled.dues()[0]).isEqualTo(due);

      BrokerVhost vhost = new BrokerVhost("/", pool, new DefinitionLog(store));
      var target = vhost.declare(new QueueSettings("target", true, false, false, Map.of()), null).queue();
      Schedule schedule = new Schedule(store, clock, Map.of("/", vhost), BEHIND);
      schedule.restore(vhost, scheduled);
      now.set(due + 1);
      schedule.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> target.queue().stats().get().messageCount() == 1);
      assertThat(schedule.size()).isZero();
      schedule.close();
    }
  }
}
