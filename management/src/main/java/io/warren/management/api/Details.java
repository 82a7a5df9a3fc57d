package io.warren.management.api;

import io.warren.management.http.Request;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.Stat;
import io.warren.management.stats.Sampler;
import io.warren.management.stats.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Builds RabbitMQ's message_stats objects and their {@code *_details}: {"rate": r} always, plus "samples", "avg"
 * and "avg_rate" for node-wide series when the request has {@code msg_rates_age}/{@code msg_rates_incr} (or
 * {@code lengths_age}/{@code lengths_incr} for queue lengths). Confined to the management event loop.
 */
public final class Details {
  private Details() {
  }

  public static Map<String, Object> rate(double rate) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", round(rate));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** message_stats of one object from its live counters (empty until something was counted, as RabbitMQ). */
  public static Map<String, Object> messageStats(MessageCounters c, Stat... stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (c == null || !c.touched()) {
      return m;
    }
    for (Stat s : stats) {
      m.put(s.json(), c.get(s));
      m.put(s.json() + "_details", rate(c.rate(s)));
    }
    if (contains(stats, Stat.DELIVER)) {
      m.put("deliver_get", c.deliverGet());
      m.put("deliver_get_details", rate(c.deliverGetRate()));
    }
    return m;
  }

  private static boolean contains(Stat[] stats, Stat s) {
    for (Stat x : stats) {
      if (x == s) {
        return true;
      }
    }
    return false;
  }

  /** Node-wide message_stats with samples from the history when asked for. */
  public static Map<String, Object> nodeMessageStats(Request r, Sampler sampler, MessageCounters c) {
    Map<String, Object> m = new LinkedHashMap<>();
    Stat[] stats = {Stat.PUBLISH, Stat.CONFIRM, Stat.DELIVER, Stat.DELIVER_NO_ACK, Stat.GET, Stat.GET_NO_ACK,
        Stat.GET_EMPTY, Stat.ACK, Stat.REDELIVER, Stat.RETURN_UNROUTABLE, Stat.DROP_UNROUTABLE};
    for (Stat s : stats) {
      m.put(s.json(), c.get(s));
      m.put(s.json() + "_details", series(r, "msg_rates", sampler, snap -> snap.stats()[s.ordinal()],
          c.rate(s), true));
    }
    m.put("deliver_get", c.deliverGet());
    m.put("deliver_get_details", series(r, "msg_rates", sampler, Details::deliverGet, c.deliverGetRate(), true));
    m.put("disk_reads", 0);
    m.put("disk_reads_details", rate(0));
    m.put("disk_writes", 0);
    m.put("disk_writes_details", rate(0));
    return m;
  }

  static long deliverGet(Snapshot s) {
    long[] v = s.stats();
    return v[Stat.DELIVER.ordinal()] + v[Stat.DELIVER_NO_ACK.ordinal()] + v[Stat.GET.ordinal()]
        + v[Stat.GET_NO_ACK.ordinal()];
  }

  /**
   * A *_details object: the rate, and when {@code <prefix>_age} is given, the samples of the last age seconds every
   * {@code <prefix>_incr} seconds (newest first), with avg and avg_rate.
   */
  public static Map<String, Object> series(Request r, String prefix, Sampler sampler, ToLongFunction<Snapshot> f,
      double currentRate, boolean counter) {
    Map<String, Object> m = rate(currentRate);
    String ageParam = r.query(prefix + "_age");
    if (ageParam == null) {
      return m;
    }
    int age = Math.max(0, r.intQuery(prefix + "_age", 60));
    int incr = Math.max(1, r.intQuery(prefix + "_incr", 5));
    List<Snapshot> snaps = sampler.history().since(sampler.nowMillis(), age);
    List<Map<String, Object>> samples = new ArrayList<>();
    long lastTs = Long.MAX_VALUE;
    for (Snapshot s : snaps) {
      if (lastTs - s.timestampMillis() < incr * 1000L - 500) {
        continue; // keep one sample per increment
      }
      lastTs = s.timestampMillis();
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("sample", f.applyAsLong(s));
      sample.put("timestamp", s.timestampMillis());
      samples.add(sample);
    }
    m.put("samples", samples);
    if (samples.size() >= 2) {
      Snapshot newest = snaps.get(0);
      Snapshot oldest = snaps.get(snaps.size() - 1);
      double seconds = (newest.timestampMillis() - oldest.timestampMillis()) / 1000.0;
      long delta = f.applyAsLong(newest) - f.applyAsLong(oldest);
      double sum = 0;
      for (Map<String, Object> s : samples) {
        sum += ((Number) s.get("sample")).doubleValue();
      }
      m.put("avg_rate", seconds > 0 ? round(delta / seconds) : 0.0);
      m.put("avg", round(sum / samples.size()));
    } else {
      m.put("avg_rate", 0.0);
      m.put("avg", samples.isEmpty() ? 0.0 : ((Number) samples.get(0).get("sample")).doubleValue());
    }
    return m;
  }
}
