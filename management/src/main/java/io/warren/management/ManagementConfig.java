package io.warren.management;

/**
 * The HTTP side's settings (warren.http.* in warren.conf). Immutable.
 *
 * @param port 0 for an ephemeral port (tests)
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param metricsAuth whether /metrics needs a management login (RabbitMQ's is open)
 * @param sampleIntervalMillis how often rates are computed (RabbitMQ: 5 s)
 * @param historySamples how many node-wide samples are kept for charts
 */
public record ManagementConfig(String bindAddress, int port, int maxBodyBytes, boolean metricsAuth,
    long sampleIntervalMillis, int historySamples) {
  public ManagementConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("warren.http.port must be 0..65535, got " + port);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("warren.http.max-body-size must be at least 1024 bytes");
    }
    if (sampleIntervalMillis < 100) {
      throw new IllegalArgumentException("the sample interval must be at least 100 ms");
    }
    historySamples = Math.max(2, historySamples);
  }

  public static ManagementConfig defaults(int port) {
    return new ManagementConfig("0.0.0.0", port, 20 * 1024 * 1024, false, 5000, 120);
  }
}
