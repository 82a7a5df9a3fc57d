package io.warren.management.spi;

import java.util.List;

/**
 * Sums over a set of queues: what /metrics, the overview and the sampler need, read without building a
 * {@link QueueInfo} per queue. Immutable; any thread.
 */
public record QueueTotals(int queues, long messagesReady, long messagesUnacknowledged, long messageBytesReady,
    long messageBytesUnacknowledged, long consumers) {
  public static final QueueTotals NONE = new QueueTotals(0, 0, 0, 0, 0, 0);

  public long messages() {
    return messagesReady + messagesUnacknowledged;
  }

  public long messageBytes() {
    return messageBytesReady + messageBytesUnacknowledged;
  }

  public QueueTotals plus(QueueTotals o) {
    return new QueueTotals(queues + o.queues, messagesReady + o.messagesReady,
        messagesUnacknowledged + o.messagesUnacknowledged, messageBytesReady + o.messageBytesReady,
        messageBytesUnacknowledged + o.messageBytesUnacknowledged, consumers + o.consumers);
  }

  /** The totals of listed queues. */
  public static QueueTotals of(List<QueueInfo> queues) {
    long ready = 0;
    long unacked = 0;
    long readyBytes = 0;
    long unackedBytes = 0;
    long consumers = 0;
    for (QueueInfo q : queues) {
      ready += q.messagesReady();
      unacked += q.messagesUnacknowledged();
      readyBytes += q.messageBytesReady();
      unackedBytes += q.messageBytesUnacknowledged();
      consumers += q.consumers();
    }
    return new QueueTotals(queues.size(), ready, unacked, readyBytes, unackedBytes, consumers);
  }
}
