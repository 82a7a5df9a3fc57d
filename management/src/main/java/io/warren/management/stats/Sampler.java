package io.warren.management.stats;

import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ChurnCounters;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.ManagedBroker;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.Stat;
import io.warren.management.spi.VhostInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Every interval, reads the live counters of the node, the vhosts, queues, exchanges and channels, turns them into
 * per-second rates (kept in each {@link MessageCounters}, with each queue's length rates), and appends a node-wide
 * snapshot to the bounded {@link History}. There is no statistics database: what is not live is these few numbers.
 * Confined to the management event loop.
 */
public final class Sampler {
  private final ManagedBroker broker;
  private final History history;
  private final java.time.Clock clock;
  /** Per connection name: last received and sent octets, time, and their rates. */
  private Map<String, double[]> connectionOctets = new HashMap<>();

  public Sampler(ManagedBroker broker, int historyLength, java.time.Clock clock) {
    this.broker = broker;
    this.history = new History(historyLength);
    this.clock = clock;
  }

  public History history() {
    return history;
  }

  public void tick() {
    long nanos = System.nanoTime();
    double nowSec = nanos / 1e9;
    broker.counters().sample(nanos);
    for (VhostInfo v : broker.vhosts()) {
      MessageCounters c = broker.vhostCounters(v.name());
      if (c != null) {
        c.sample(nanos);
      }
    }
    long[] lengths = new long[2];
    broker.visitQueues((c, ready, unacked) -> {
      lengths[0] += ready;
      lengths[1] += unacked;
      if (c != null) {
        c.sample(nanos);
        c.sampleLengths(ready, unacked, nanos);
      }
    });
    long ready = lengths[0];
    long unacked = lengths[1];
    long messages = ready + unacked;
    for (ExchangeInfo e : broker.exchanges(null)) {
      if (e.counters() != null) {
        e.counters().sample(nanos);
      }
    }
    sampleConnections(nowSec);
    for (ChannelInfo ch : broker.channels()) {
      if (ch.counters() != null) {
        ch.counters().sample(nanos);
      }
    }
    long[] stats = new long[Stat.values().length];
    for (Stat s : Stat.values()) {
      stats[s.ordinal()] = broker.counters().get(s);
    }
    ChurnCounters churn = broker.churn();
    long[] churnValues = {churn.connectionsOpened.sum(), churn.connectionsClosed.sum(), churn.channelsOpened.sum(),
        churn.channelsClosed.sum(), churn.queuesDeclared.sum(), churn.queuesCreated.sum(),
        churn.queuesDeleted.sum()};
    history.add(new Snapshot(clock.millis(), stats, messages, ready, unacked, churnValues));
  }

  private void sampleConnections(double nowSec) {
    Map<String, double[]> octets = new HashMap<>();
    for (ConnectionInfo c : broker.connections()) {
      double[] prev = connectionOctets.get(c.name());
      double[] cur = {c.receivedOctets(), c.sentOctets(), nowSec, 0, 0};
      if (prev != null && nowSec > prev[2]) {
        cur[3] = Math.max(0, cur[0] - prev[0]) / (nowSec - prev[2]);
        cur[4] = Math.max(0, cur[1] - prev[1]) / (nowSec - prev[2]);
      }
      octets.put(c.name(), cur);
    }
    connectionOctets = octets;
  }

  /** Bytes per second a connection received and sent between the last two samples (zeros before two). */
  public double[] connectionOctetRates(String name) {
    double[] v = connectionOctets.get(name);
    return v == null ? new double[2] : new double[] {v[3], v[4]};
  }

  /** Per-second rate of a node-wide series between the two newest snapshots. */
  public double rate(java.util.function.ToLongFunction<Snapshot> series) {
    Snapshot a = history.previous();
    Snapshot b = history.last();
    if (a == null || b == null || b.timestampMillis() <= a.timestampMillis()) {
      return 0;
    }
    return (series.applyAsLong(b) - series.applyAsLong(a)) * 1000.0 / (b.timestampMillis() - a.timestampMillis());
  }

  public long nowMillis() {
    return clock.millis();
  }
}
