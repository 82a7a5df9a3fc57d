package io.warren.server.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * RabbitMQ's disk alarm: while the data directory's file system has less free space than the limit, publishers are
 * blocked ("low on disk"), so that the log never fills the disk and a write never fails half way. Any thread.
 */
public final class DiskAlarm extends ResourceAlarm {
  /** Changed at run time only on the alarm's thread ({@link #setLimit}); read by any. */
  private volatile long limitBytes;

  /** @param limitBytes free bytes below which publishers are blocked; 0 disables the alarm */
  public DiskAlarm(Path dataDir, long limitBytes) {
    this(limitBytes, () -> freeSpace(dataDir), limitBytes > 0);
  }

  /** @param free how many bytes are free now (tests give their own); checked on the timer */
  public DiskAlarm(long limitBytes, LongSupplier free) {
    this(limitBytes, free, limitBytes > 0);
  }

  DiskAlarm(long limitBytes, LongSupplier free, boolean watch) {
    super("disk", free);
    this.limitBytes = limitBytes;
    if (watch) {
      watch();
    }
  }

  static long freeSpace(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long limitBytes() {
    return limitBytes;
  }

  /**
   * A new limit at run time (rabbitmqctl's set_disk_free_limit), applied at once: the alarm is raised or cleared by it
   * before this returns. A disabled alarm starts watching the disk.
   *
   * @param limitBytes free bytes below which publishers are blocked; 0 disables the alarm
   */
  public void setLimit(long limitBytes) {
    change(() -> this.limitBytes = limitBytes);
    if (limitBytes > 0) {
      watch();
    }
  }

  @Override
  protected boolean over(long free) {
    return free < limitBytes;
  }

  @Override
  protected String describe(long free) {
    return (free >> 20) + " MiB free, limit " + (limitBytes >> 20) + " MiB";
  }
}
