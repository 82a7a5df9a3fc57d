package io.warren.server.it;

import io.warren.server.config.BrokerConfig;

/**
 * Copies of {@link BrokerConfig.Limits} with one or two values changed, for tests that need a small frame-max,
 * channel-max, heartbeat, message size or handshake timeout. Not thread-safe; build and discard.
 */
final class TestLimits {
  private int frameMax;
  private int channelMax;
  private int heartbeatSeconds;
  private long maxMessageSize;
  private long handshakeTimeoutMillis;

  private TestLimits(BrokerConfig.Limits base) {
    frameMax = base.frameMax();
    channelMax = base.channelMax();
    heartbeatSeconds = base.heartbeatSeconds();
    maxMessageSize = base.maxMessageSize();
    handshakeTimeoutMillis = base.handshakeTimeoutMillis();
  }

  static TestLimits from(BrokerConfig.Limits base) {
    return new TestLimits(base);
  }

  TestLimits frameMax(int value) {
    frameMax = value;
    return this;
  }

  TestLimits channelMax(int value) {
    channelMax = value;
    return this;
  }

  TestLimits heartbeatSeconds(int value) {
    heartbeatSeconds = value;
    return this;
  }

  TestLimits maxMessageSize(long value) {
    maxMessageSize = value;
    return this;
  }

  TestLimits handshakeTimeoutMillis(long value) {
    handshakeTimeoutMillis = value;
    return this;
  }

  BrokerConfig.Limits build() {
    return new BrokerConfig.Limits(frameMax, channelMax, heartbeatSeconds, maxMessageSize, handshakeTimeoutMillis);
  }
}
