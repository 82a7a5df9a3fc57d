package io.warren.management.spi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live message counters of one object (the node, a vhost, a queue, an exchange, a channel). The broker increments
 * them where it already does the work: an increment is a {@link LongAdder} add, with no allocation and no lock once
 * the adder has settled. The sampler (the management event loop) reads the sums and keeps the last rate of each
 * counter here, so no separate statistics store is needed.
 *
 * <p>A queue's counters also keep the rates of its lengths (messages, ready, unacknowledged) between samples, so the
 * sampler needs no table of its own per queue.
 *
 * <p>{@link #add} may be called by any thread; {@link #sample} and {@link #sampleLengths} only by the sampler; the
 * rate getters by any thread.
 */
public final class MessageCounters {
  private final LongAdder[] adders = new LongAdder[Stat.all().length];
  private final long[] lastValues = new long[adders.length];
  private long lastSampleNanos;
  private volatile double[] rates = new double[adders.length];
  private long lastReady;
  private long lastUnacked;
  private long lastLengthNanos;
  /** Per-second rates of messages, messages_ready and messages_unacknowledged between the last two samples. */
  private volatile double[] lengthRates = new double[3];

  public MessageCounters() {
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
  }

  public void add(Stat stat) {
    adders[stat.ordinal()].increment();
  }

  public void add(Stat stat, long n) {
    adders[stat.ordinal()].add(n);
  }

  public long get(Stat stat) {
    return adders[stat.ordinal()].sum();
  }

  /** deliver + deliver_no_ack + get + get_no_ack, as RabbitMQ's deliver_get. */
  public long deliverGet() {
    return get(Stat.DELIVER) + get(Stat.DELIVER_NO_ACK) + get(Stat.GET) + get(Stat.GET_NO_ACK);
  }

  /** Per-second rate of the counter between the last two samples. */
  public double rate(Stat stat) {
    return rates[stat.ordinal()];
  }

  public double deliverGetRate() {
    double[] r = rates;
    return r[Stat.DELIVER.ordinal()] + r[Stat.DELIVER_NO_ACK.ordinal()] + r[Stat.GET.ordinal()]
        + r[Stat.GET_NO_ACK.ordinal()];
  }

  /** True if any counter was ever incremented (RabbitMQ leaves message_stats empty until then). */
  public boolean touched() {
    for (LongAdder a : adders) {
      if (a.sum() != 0) {
        return true;
      }
    }
    return false;
  }

  /** Computes each counter's rate since the previous sample. Sampler thread only. */
  public void sample(long nowNanos) {
    double[] next = new double[adders.length];
    double seconds = lastSampleNanos == 0 ? 0 : (nowNanos - lastSampleNanos) / 1e9;
    for (int i = 0; i < adders.length; i++) {
      long v = adders[i].sum();
      if (seconds > 0) {
        next[i] = Math.max(0, v - lastValues[i]) / seconds;
      }
      lastValues[i] = v;
    }
    lastSampleNanos = nowNanos;
    rates = next;
  }

  /** Records a queue's lengths now and computes their rates since the previous call. Sampler thread only. */
  public void sampleLengths(long ready, long unacked, long nowNanos) {
    if (lastLengthNanos != 0 && nowNanos > lastLengthNanos) {
      double seconds = (nowNanos - lastLengthNanos) / 1e9;
      double readyRate = (ready - lastReady) / seconds;
      double unackedRate = (unacked - lastUnacked) / seconds;
      lengthRates = new double[] {readyRate + unackedRate, readyRate, unackedRate};
    }
    lastReady = ready;
    lastUnacked = unacked;
    lastLengthNanos = nowNanos;
  }

  /** Rates of a queue's messages, messages_ready, messages_unacknowledged (zeros before two samples); any thread. */
  public double[] lengthRates() {
    return lengthRates.clone();
  }
}
