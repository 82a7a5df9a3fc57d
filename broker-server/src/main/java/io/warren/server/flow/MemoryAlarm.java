package io.warren.server.flow;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;

/**
 * Watches the memory that messages occupy (Netty's direct buffers plus the heap) and, above the high watermark,
 * blocks publishing connections as RabbitMQ's memory alarm does (connection.blocked, and no more reads from them)
 * until usage falls below it again. Without this a publisher faster than its consumers grows the broker until it
 * dies. Any thread; see {@link ResourceAlarm}.
 */
public final class MemoryAlarm extends ResourceAlarm {
  private final long limitBytes;
  private final long capacity = Runtime.getRuntime().maxMemory() + PlatformDependent.maxDirectMemory();
  private volatile long lastUsed;

  /** @param fraction of (max heap + max direct memory) above which publishers are blocked; 0 disables the alarm */
  public MemoryAlarm(double fraction) {
    this(fraction <= 0 ? Long.MAX_VALUE
        : (long) ((Runtime.getRuntime().maxMemory() + PlatformDependent.maxDirectMemory()) * fraction),
        MemoryAlarm::used, fraction > 0);
  }

  /** @param usage how much memory is in use now (tests give their own) */
  MemoryAlarm(long limitBytes, LongSupplier usage, boolean watch) {
    super("memory", usage);
    this.limitBytes = limitBytes;
    if (watch) {
      watch();
    }
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

  @Override
  protected boolean over(long used) {
    lastUsed = used;
    return used > limitBytes;
  }

  /** Whether memory in use (as of the last check) is above {@code fraction} of the JVM's; always true for 0. */
  public boolean above(double fraction) {
    return fraction <= 0 || lastUsed > capacity * fraction;
  }

  @Override
  protected String describe(long used) {
    return (used >> 20) + " MiB used, limit " + (limitBytes >> 20) + " MiB";
  }
}
