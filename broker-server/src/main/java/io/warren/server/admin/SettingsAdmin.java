package io.warren.server.admin;

import io.warren.management.spi.AdminException;
import io.warren.management.spi.NodeSettings;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ChannelMax;
import io.warren.server.flow.DiskAlarm;
import io.warren.server.flow.MemoryAlarm;
import io.warren.server.flow.MemoryLimit;
import io.warren.server.flow.ResourceAlarm;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's run-time settings over the alarms and the tune limits: what rabbitmqctl's set_vm_memory_high_watermark,
 * set_disk_free_limit, set_alarm / clear_alarm and set_env(rabbit, channel_max, N) change on RabbitMQ. The alarms
 * apply a change on their own thread before it returns; nothing is written to the data directory, so a restart comes
 * back to the configuration. Called on the management event loop.
 */
final class SettingsAdmin implements NodeSettings {
  private static final Logger LOG = LoggerFactory.getLogger(SettingsAdmin.class);

  private final BrokerConfig config;
  private final MemoryAlarm memory;
  private final DiskAlarm disk;
  private final ChannelMax channelMax;
  /** The watermark as the fraction it was last given as, or null when given in bytes. */
  private volatile Double memoryFraction;
  private volatile Double diskMemRelative;

  SettingsAdmin(BrokerConfig config, MemoryAlarm memory, DiskAlarm disk, ChannelMax channelMax) {
    this.config = config;
    this.memory = memory;
    this.disk = disk;
    this.channelMax = channelMax;
    BrokerConfig.Limits l = config.limits();
    // a size, or 0 (no alarm: its limit is Long.MAX_VALUE), is shown as the bytes it stands for
    this.memoryFraction = l.memoryHighWatermarkBytes() > 0 || l.memoryHighWatermark() == 0 ? null
        : l.memoryHighWatermark();
  }

  @Override
  public State state() {
    List<String> byHand = new ArrayList<>();
    if (memory.raisedByHand()) {
      byHand.add("memory");
    }
    if (disk.raisedByHand()) {
      byHand.add("disk");
    }
    return new State(memory.limitBytes(), memoryFraction, totalMemory(), disk.limitBytes(), diskMemRelative, byHand,
        channelMax.current(), channelMax.configured());
  }

  @Override
  public void setMemoryHighWatermark(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw AdminException.badRequest("the memory high watermark must be a fraction between 0 and 1, got " + fraction);
    }
    long total = totalMemory();
    long bytes = (long) (total * fraction);
    setWatermark(bytes);
    memoryFraction = fraction;
    LOG.info("Memory high watermark set to {} of {} MiB ({} bytes) at run time", fraction, total >> 20, bytes);
  }

  @Override
  public void setMemoryHighWatermarkBytes(long bytes) {
    if (bytes < 0) {
      throw AdminException.badRequest("the memory high watermark must be 0 bytes or more, got " + bytes);
    }
    setWatermark(bytes);
    memoryFraction = null;
    LOG.info("Memory high watermark set to {} bytes at run time", bytes);
  }

  private void setWatermark(long bytes) {
    memory.setLimit(bytes, (long) (bytes * config.residency().spillWatermark()));
  }

  @Override
  public void setDiskFreeLimit(long bytes) {
    if (bytes < 0) {
      throw AdminException.badRequest("the disk free limit must be 0 bytes or more, got " + bytes);
    }
    disk.setLimit(bytes);
    diskMemRelative = null;
    LOG.info("Disk free limit set to {} bytes at run time", bytes);
  }

  @Override
  public void setDiskFreeLimitMemRelative(double ratio) {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw AdminException.badRequest("the disk free limit's mem_relative ratio must be a number of 0 or more, got "
          + ratio);
    }
    long total = totalMemory();
    long bytes = (long) (total * ratio);
    disk.setLimit(bytes);
    diskMemRelative = ratio;
    LOG.info("Disk free limit set to {} times the memory limit of {} MiB ({} bytes) at run time", ratio, total >> 20,
        bytes);
  }

  @Override
  public void setAlarmByHand(String resource, boolean raised) {
    alarm(resource).setByHand(raised);
  }

  @Override
  public void setChannelMax(int value) {
    try {
      channelMax.set(value);
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest(e.getMessage());
    }
    LOG.info("channel_max for new connections set to {} at run time", channelMax.current());
  }

  private ResourceAlarm alarm(String resource) {
    return switch (resource) {
      case "memory" -> memory;
      case "disk" -> disk;
      default -> throw AdminException.badRequest("unknown resource '" + resource + "': the alarms are " + RESOURCES);
    };
  }

  private long totalMemory() {
    return MemoryLimit.total(config.limits().totalMemory());
  }
}
