package io.warren.server.admin;

import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.QueueTotals;
import io.warren.server.config.Policies;
import io.warren.server.config.Policy;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.server.vhost.FieldJson;
import io.warren.store.MessageQueue;
import io.warren.store.QueueSettings;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The queues of the vhosts as the management API lists them: by vhost, then name. An open web UI and a Prometheus
 * scrape ask every second or two, and with 10,000 queues sorting them and building every queue's object was most of
 * what observing the broker cost. So each vhost's queues are taken into an array once per change of its set of
 * queues (its {@link BrokerVhost#queueSetVersion}) and sorted at most once per change; a listing builds a queue's
 * {@link QueueInfo} only when that element is got (a page of 100 builds 100); totals and the sampler's pass read the
 * queues' counts straight from that array. Any thread; a listing itself is for one thread.
 */
final class QueueListing {
  private static final Comparator<DeclaredQueue> BY_NAME = (a, b) -> a.name().compareTo(b.name());
  private final Function<String, Policies> policies;
  /** Per vhost name: that vhost object's queues as of a version of its set, and sorted by name once asked. */
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  /**
   * A vhost's queues at one version of its set: an array is walked several times faster than the vhost's map, which
   * matters when a scrape sums 10,000 queues every second.
   */
  private static final class Snapshot {
    final BrokerVhost vhost;
    final int version;
    final DeclaredQueue[] queues;
    private volatile DeclaredQueue[] sorted;

    Snapshot(BrokerVhost vhost, int version, DeclaredQueue[] queues) {
      this.vhost = vhost;
      this.version = version;
      this.queues = queues;
    }

    DeclaredQueue[] sorted() {
      DeclaredQueue[] s = sorted;
      if (s == null) {
        s = queues.clone();
        Arrays.sort(s, BY_NAME);
        sorted = s;
      }
      return s;
    }
  }

  QueueListing(Function<String, Policies> policies) {
    this.policies = policies;
  }

  /** The queues of {@code vhosts} (in that order), each vhost's by name; deleted ones left out. */
  List<QueueInfo> list(List<BrokerVhost> vhosts) {
    List<Segment> segments = new ArrayList<>(vhosts.size());
    int size = 0;
    for (BrokerVhost v : vhosts) {
      DeclaredQueue[] live = withoutDeleted(snapshot(v).sorted());
      if (live.length > 0) {
        segments.add(new Segment(v.name(), policies.apply(v.name()), live, size));
        size += live.length;
      }
    }
    return new Listed(segments, size);
  }

  /** Sums over the live queues of {@code vhosts}, reading no more than each queue's counts. */
  QueueTotals totals(List<BrokerVhost> vhosts) {
    int count = 0;
    long ready = 0;
    long unacked = 0;
    long readyBytes = 0;
    long unackedBytes = 0;
    long consumers = 0;
    for (BrokerVhost v : vhosts) {
      for (DeclaredQueue d : snapshot(v).queues) {
        MessageQueue q = d.queue();
        if (q.isDeleted()) {
          continue;
        }
        count++;
        ready += q.messageCount();
        unacked += q.unackedCount();
        readyBytes += q.readyBytes();
        unackedBytes += q.unackedBytes();
        consumers += q.consumerCount();
      }
    }
    return new QueueTotals(count, ready, unacked, readyBytes, unackedBytes, consumers);
  }

  /** Shows each live queue of {@code vhosts} to the visitor. */
  void visit(List<BrokerVhost> vhosts, io.warren.management.spi.ManagedBroker.QueueVisitor visitor) {
    for (BrokerVhost v : vhosts) {
      for (DeclaredQueue d : snapshot(v).queues) {
        MessageQueue q = d.queue();
        if (!q.isDeleted()) {
          visitor.visit(d.counters(), q.messageCount(), q.unackedCount());
        }
      }
    }
  }

  /** Forgets the sorts of vhosts that no longer exist. */
  void retain(Set<String> vhostNames) {
    snapshots.keySet().retainAll(vhostNames);
  }

  static QueueInfo info(String vhost, Policies policies, DeclaredQueue q) {
    QueueSettings s = q.settings();
    Policy p = policies.forQueue(vhost, s.name());
    MessageQueue mq = q.queue();
    return new QueueInfo(vhost, s.name(), s.durable(), s.autoDelete(), s.exclusive(), FieldJson.of(s.arguments()),
        "classic", p == null ? null : p.name(), mq.messageCount(), mq.unackedCount(), mq.readyBytes(),
        mq.unackedBytes(), mq.consumerCount(), null, q.counters());
  }

  private Snapshot snapshot(BrokerVhost v) {
    Snapshot s = snapshots.get(v.name());
    int version = v.queueSetVersion(); // read before the set: a change meanwhile makes the next call take it again
    if (s == null || s.vhost != v || s.version != version) {
      s = new Snapshot(v, version, v.queues().toArray(DeclaredQueue[]::new));
      snapshots.put(v.name(), s);
    }
    return s;
  }

  /** Queues deleted on their executor but not yet forgotten by their vhost are not listed. */
  private static DeclaredQueue[] withoutDeleted(DeclaredQueue[] queues) {
    for (int i = 0; i < queues.length; i++) {
      if (queues[i].queue().isDeleted()) {
        return Arrays.stream(queues).filter(q -> !q.queue().isDeleted()).toArray(DeclaredQueue[]::new);
      }
    }
    return queues;
  }

  /** One vhost's queues within a listing, from index {@code start}. */
  private record Segment(String vhost, Policies policies, DeclaredQueue[] queues, int start) {
  }

  /** A listing whose elements are built when first got, then kept (so the same element is the same object). */
  private static final class Listed extends AbstractList<QueueInfo> {
    private final List<Segment> segments;
    private final QueueInfo[] built;

    Listed(List<Segment> segments, int size) {
      this.segments = segments;
      this.built = new QueueInfo[size];
    }

    @Override
    public QueueInfo get(int index) {
      QueueInfo q = built[index]; // bounds checked here
      if (q == null) {
        Segment s = segments.get(0);
        for (int i = 1; i < segments.size() && segments.get(i).start() <= index; i++) {
          s = segments.get(i);
        }
        q = info(s.vhost(), s.policies(), s.queues()[index - s.start()]);
        built[index] = q;
      }
      return q;
    }

    @Override
    public int size() {
      return built.length;
    }
  }
}
