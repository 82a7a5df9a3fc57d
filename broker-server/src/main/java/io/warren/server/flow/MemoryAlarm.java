package io.warren.server.flow;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;

/**
 * Watches the memory the broker uses and, above the high watermark, blocks publishing connections as RabbitMQ's
 * memory alarm does (connection.blocked, and no more reads from them) until usage falls below it again. Without this a
 * publisher faster than its consumers grows the broker until it dies. The watermark is a fraction of
 * {@link MemoryLimit} (or an absolute size); below it, from the spill watermark on, backlogged queues page transient
 * messages out to disk. Any thread; see {@link ResourceAlarm}.
 */
public final class MemoryAlarm extends ResourceAlarm {
  /** Changed at run time only on the alarm's thread ({@link #setLimit}); read by any. */
  private volatile long limitBytes;
  private volatile long spillBytes;
  private volatile long lastUsed;

  /**
   * @param limitBytes usage above which publishers are blocked; Long.MAX_VALUE disables the alarm
   * @param spillBytes usage above which transient messages are spilled (0: always)
   */
  public MemoryAlarm(long limitBytes, long spillBytes) {
    this(limitBytes, spillBytes, MemoryAlarm::used, true);
  }

  /** @param usage how much memory is in use now (tests give their own) */
  MemoryAlarm(long limitBytes, LongSupplier usage, boolean watch) {
    this(limitBytes, limitBytes / 2, usage, watch);
  }

  MemoryAlarm(long limitBytes, long spillBytes, LongSupplier usage, boolean watch) {
    super("memory", usage);
    this.limitBytes = limitBytes;
    this.spillBytes = spillBytes;
    if (watch) {
      watch();
    }
  }

  /**
   * The process's anonymous resident memory, less the part of the heap that is free or garbage (the JVM keeps heap it has
   * committed, so counting it would hold the alarm up long after the messages are gone): what the broker would occupy
   * right after a collection; and at least the direct memory message bodies use plus the live heap.
   */
  static long used() {
    long liveHeap = 0;
    long committedHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        liveHeap += afterGc != null ? afterGc.getUsed() : pool.getUsage().getUsed();
        committedHeap += pool.getUsage().getCommitted();
      }
    }
    long direct = 0;
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      direct = p.metric().usedDirectMemory();
    }
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = Math.max(direct, pool.getMemoryUsed());
      }
    }
    // committed heap pages not yet touched are not resident: then the first reading undercounts, the second not
    long rss = MemoryLimit.residentBytes();
    return Math.max(direct + liveHeap, rss - committedHeap + liveHeap);
  }

  @Override
  protected boolean over(long used) {
    lastUsed = used;
    return used > limitBytes;
  }

  /** Whether memory in use (as of the last check) is above the spill watermark; always true for a 0 watermark. */
  public boolean aboveSpillWatermark() {
    return spillBytes <= 0 || lastUsed > spillBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }

  /**
   * A new watermark at run time (rabbitmqctl's set_vm_memory_high_watermark), applied at once: the alarm is raised or
   * cleared by it before this returns.
   *
   * @param limitBytes usage above which publishers are blocked (0: always blocked, as in RabbitMQ)
   * @param spillBytes usage above which transient messages are spilled
   */
  public void setLimit(long limitBytes, long spillBytes) {
    change(() -> {
      this.limitBytes = limitBytes;
      this.spillBytes = spillBytes;
    });
  }

  @Override
  protected String describe(long used) {
    return (used >> 20) + " MiB used, limit " + (limitBytes >> 20) + " MiB";
  }
}
