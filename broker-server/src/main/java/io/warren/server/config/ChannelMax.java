package io.warren.server.config;

/**
 * The channel-max the broker offers in connection.tune, changeable at run time as RabbitMQ's
 * {@code application:set_env(rabbit, channel_max, N)} changes it: connections opened afterwards are tuned with the new
 * value, open ones keep what they negotiated. Not persisted: a restart comes back to warren.limits.channel-max. Any
 * thread.
 */
public final class ChannelMax {
  /** The most a connection.tune can carry (a short), and what RabbitMQ means by "no limit". */
  public static final int HIGHEST = 65535;

  private final int configured;
  private volatile int current;

  public ChannelMax(int configured) {
    this.configured = configured;
    this.current = configured;
  }

  /** What connection.tune offers now. */
  public int current() {
    return current;
  }

  /** warren.limits.channel-max, what a restart comes back to. */
  public int configured() {
    return configured;
  }

  /**
   * Sets the value offered to connections opened from now on.
   *
   * @param channelMax 1 to 65535, or 0 for the configured value
   */
  public void set(int channelMax) {
    if (channelMax < 0 || channelMax > HIGHEST) {
      throw new IllegalArgumentException("channel_max must be 0 (the configured " + configured + ") to " + HIGHEST
          + ", got " + channelMax);
    }
    current = channelMax == 0 ? configured : channelMax;
  }
}
