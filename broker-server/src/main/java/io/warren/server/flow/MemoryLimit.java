package io.warren.server.flow;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory the broker may count on, and how much it uses, as RabbitMQ's vm_memory_high_watermark sees them.
 * The limit is the configured total-memory, or else the smallest of the physical RAM, the cgroup's memory limit (the
 * JDK reports a container's limit as its total memory; cgroup v1 and v2 files are read too) and what the JVM can hold
 * (max heap + max direct memory). Stateless; any thread.
 */
public final class MemoryLimit {
  private static final Path STATUS = Path.of("/proc/self/status");

  private MemoryLimit() {}

  /** @param configured bytes from the config, or 0 to detect */
  public static long total(long configured) {
    return configured > 0 ? configured : detected();
  }

  /** min(physical RAM or container limit, cgroup limit, max heap + max direct memory). */
  public static long detected() {
    long limit = jvmCapacity();
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      long ram = os.getTotalMemorySize();
      if (ram > 0) {
        limit = Math.min(limit, ram);
      }
    }
    limit = Math.min(limit, cgroupLimit(Path.of("/sys/fs/cgroup/memory.max")));
    return Math.min(limit, cgroupLimit(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
  }

  /** What the JVM can hold at most: the heap and the direct memory message bodies live in. */
  public static long jvmCapacity() {
    return Runtime.getRuntime().maxMemory() + PlatformDependent.maxDirectMemory();
  }

  /** A cgroup's limit file ("max" or a number; v1 writes a huge number for none), or Long.MAX_VALUE. */
  static long cgroupLimit(Path file) {
    try {
      String s = Files.readString(file).trim();
      long v = Long.parseLong(s);
      return v > 0 ? v : Long.MAX_VALUE;
    } catch (IOException | NumberFormatException | SecurityException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The process's anonymous resident memory (bytes: heap, direct buffers, malloc), from /proc/self/status, or -1
   * where that file does not exist. File-backed pages (the log's memory-mapped segments, the JVM's own jars) are left
   * out: the kernel can drop them at will, so they are no memory pressure.
   */
  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("RssAnon:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
