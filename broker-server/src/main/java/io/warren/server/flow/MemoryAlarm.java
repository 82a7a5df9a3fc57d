package io.warren.server.flow;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the memory that messages occupy (Netty's direct buffers plus the heap) and, above the high watermark,
 * blocks publishing connections as RabbitMQ's memory alarm does (connection.blocked, and no more reads from them)
 * until usage falls below it again. Without this a publisher faster than its consumers grows the broker until it
 * dies. Any thread; listeners are called on the alarm's own thread and must hand off.
 */
public final class MemoryAlarm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryAlarm.class);

  /** Something that publishes and can be paused. */
  public interface Listener {
    void memoryAlarm(boolean raised);
  }

  private final long limitBytes;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;
  private final LongSupplier usage;
  private volatile boolean raised;

  /** @param fraction of (max heap + max direct memory) above which publishers are blocked; 0 disables the alarm */
  public MemoryAlarm(double fraction) {
    this(fraction <= 0 ? Long.MAX_VALUE
        : (long) ((Runtime.getRuntime().maxMemory() + PlatformDependent.maxDirectMemory()) * fraction),
        MemoryAlarm::used, fraction > 0);
  }

  /** @param usage how much memory is in use now (tests give their own) */
  MemoryAlarm(long limitBytes, LongSupplier usage, boolean watch) {
    this.limitBytes = limitBytes;
    this.usage = usage;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warren-memory-alarm");
      t.setDaemon(true);
      return t;
    });
    if (watch) {
      timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
    }
  }

  public boolean raised() {
    return raised;
  }

  public void register(Listener l) {
    listeners.add(l);
    if (raised) {
      l.memoryAlarm(true);
    }
  }

  public void unregister(Listener l) {
    listeners.remove(l);
  }

  /**
   * Direct memory held by Netty's allocator (message bodies live there) plus the heap as it was after the last
   * collection of each pool: counting uncollected garbage would raise the alarm on every busy minute.
   */
  static long used() {
    long direct = 0;
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      direct = p.metric().usedDirectMemory();
    }
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = Math.max(direct, pool.getMemoryUsed());
      }
    }
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        heap += afterGc != null ? afterGc.getUsed() : pool.getUsage().getUsed();
      }
    }
    return direct + heap;
  }

  void check() {
    long used = usage.getAsLong();
    boolean over = used > limitBytes;
    if (over != raised) {
      raised = over;
      if (over) {
        LOG.warn("Memory alarm raised: {} MiB used, limit {} MiB; publishers are blocked", used >> 20,
            limitBytes >> 20);
      } else {
        LOG.info("Memory alarm cleared: {} MiB used, limit {} MiB", used >> 20, limitBytes >> 20);
      }
      for (Listener l : listeners) {
        l.memoryAlarm(over);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
