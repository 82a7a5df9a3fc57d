package io.warren.management.spi;

import java.util.List;

/**
 * The node's settings an operator changes while it runs, as rabbitmqctl changes RabbitMQ's (set_vm_memory_high_watermark,
 * set_disk_free_limit, rabbit_alarm:set_alarm / clear_alarm, application:set_env(rabbit, channel_max, N)). None is
 * persisted: a restart comes back to the configuration file's values. Called on the management event loop; a call
 * returns once the change is in effect (an alarm it raises or clears is raised or cleared). Bad values are
 * {@link AdminException#badRequest}s.
 */
public interface NodeSettings {
  /** The resources an alarm watches, by RabbitMQ's names. */
  List<String> RESOURCES = List.of("memory", "disk");

  State state();

  /** The memory high watermark as a fraction (0 to 1) of the memory the broker may count on; 0 blocks publishers. */
  void setMemoryHighWatermark(double fraction);

  /** The memory high watermark in bytes; 0 blocks publishers. */
  void setMemoryHighWatermarkBytes(long bytes);

  /** Free bytes the data directory's file system must keep; 0 disables the disk alarm. */
  void setDiskFreeLimit(long bytes);

  /** The disk free limit as a multiple of the memory the broker may count on (RabbitMQ's mem_relative). */
  void setDiskFreeLimitMemRelative(double ratio);

  /** Raises (true) or clears (false) a resource's alarm by hand; held until cleared by hand. */
  void setAlarmByHand(String resource, boolean raised);

  /** connection.tune's channel-max for connections opened from now on: 1 to 65535, or 0 for the configured value. */
  void setChannelMax(int channelMax);

  /**
   * The settings now.
   *
   * @param memoryLimit the memory high watermark in bytes
   * @param memoryFraction the watermark as the fraction it was given as, or null when given in bytes
   * @param totalMemory the memory the broker may count on (what fractions are of)
   * @param diskFreeLimit free bytes below which the disk alarm is raised
   * @param diskFreeMemRelative the disk limit as the multiple of totalMemory it was given as, or null
   * @param alarmsByHand the resources whose alarm was raised by hand and not cleared yet
   * @param channelMax channel-max offered to new connections
   * @param configuredChannelMax the configuration file's channel-max (what 0 and a restart come back to)
   */
  record State(long memoryLimit, Double memoryFraction, long totalMemory, long diskFreeLimit,
      Double diskFreeMemRelative, List<String> alarmsByHand, int channelMax, int configuredChannelMax) {
    public State {
      alarmsByHand = List.copyOf(alarmsByHand);
    }
  }
}
