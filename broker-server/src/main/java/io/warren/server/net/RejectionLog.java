package io.warren.server.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WARN lines for refused and malformed connections (failed logins, bad protocol headers, connection errors), without
 * letting a flood of them flood the log. Per interval, the first refusal of each (reason, peer address) is logged in
 * full, up to {@code fullLinesPerInterval} lines in all; the rest are only counted, and when the interval ends one
 * summary line per (reason, peer) tells how many were not logged, the busiest first (at most
 * {@code fullLinesPerInterval} lines, then one line for all other peers). A fuzzer opening thousands of bad
 * connections a second thus costs a few lines every interval instead of one or two per connection. Any thread
 * (event loops call it); the summary runs on the given timer.
 */
public final class RejectionLog {
  private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);
  /** Beyond this many (reason, peer) pairs in one interval, further pairs are counted together. */
  private static final int MAX_KEYS = 1024;

  private final Logger log;
  private final ScheduledExecutorService timer;
  private final long intervalMillis;
  private final int fullLinesPerInterval;
  private final Map<Key, AtomicLong> suppressed = new ConcurrentHashMap<>();
  private final Map<Key, Boolean> seen = new ConcurrentHashMap<>();
  private final AtomicLong overflow = new AtomicLong();
  private final AtomicInteger fullLines = new AtomicInteger();
  private final AtomicBoolean summaryScheduled = new AtomicBoolean();

  public RejectionLog(ScheduledExecutorService timer, long intervalMillis, int fullLinesPerInterval) {
    this(LOG, timer, intervalMillis, fullLinesPerInterval);
  }

  RejectionLog(Logger log, ScheduledExecutorService timer, long intervalMillis, int fullLinesPerInterval) {
    this.log = log;
    this.timer = timer;
    this.intervalMillis = intervalMillis;
    this.fullLinesPerInterval = fullLinesPerInterval;
  }

  /**
   * One refused connection.
   *
   * @param reason what was wrong, short and fixed (e.g. "login refused"): refusals are counted per reason and peer
   * @param peer the client's address (not port: a flood comes from many ports)
   * @param detail the full line logged when this one is not suppressed
   */
  public void refused(String reason, InetAddress peer, String detail) {
    Key key = new Key(reason, peer == null ? "?" : peer.getHostAddress());
    boolean first = seen.size() < MAX_KEYS && seen.putIfAbsent(key, Boolean.TRUE) == null;
    if (first && fullLines.incrementAndGet() <= fullLinesPerInterval) {
      log.warn(detail);
    } else if (suppressed.size() < MAX_KEYS || suppressed.containsKey(key)) {
      suppressed.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    } else {
      overflow.incrementAndGet();
    }
    if (summaryScheduled.compareAndSet(false, true)) {
      timer.schedule(this::endInterval, intervalMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Logs what the interval suppressed and starts a new one (scheduled; tests call it directly). */
  void endInterval() {
    List<Map.Entry<Key, Long>> counts = new ArrayList<>();
    for (Key k : List.copyOf(suppressed.keySet())) {
      AtomicLong n = suppressed.remove(k);
      if (n != null && n.get() > 0) {
        counts.add(Map.entry(k, n.get()));
      }
    }
    long others = overflow.getAndSet(0);
    seen.clear();
    fullLines.set(0);
    summaryScheduled.set(false);
    counts.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    long seconds = Math.max(1, intervalMillis / 1000);
    for (int i = 0; i < counts.size(); i++) {
      if (i >= fullLinesPerInterval) {
        others += counts.get(i).getValue();
        continue;
      }
      Key k = counts.get(i).getKey();
      log.warn("{} more connection(s) from {} refused in the last {} s ({}), not logged one by one",
          counts.get(i).getValue(), k.peer, seconds, k.reason);
    }
    if (others > 0) {
      log.warn("{} more refused connection(s) from other peers or for other reasons in the last {} s, not logged "
          + "one by one", others, seconds);
    }
  }

  private record Key(String reason, String peer) {}
}
