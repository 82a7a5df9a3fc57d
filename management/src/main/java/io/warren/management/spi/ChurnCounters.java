package io.warren.management.spi;

import java.util.concurrent.atomic.LongAdder;

/** Node-wide counts of objects opened and closed (RabbitMQ's churn_rates and *_opened_total). Any thread. */
public final class ChurnCounters {
  public final LongAdder connectionsOpened = new LongAdder();
  public final LongAdder connectionsClosed = new LongAdder();
  public final LongAdder channelsOpened = new LongAdder();
  public final LongAdder channelsClosed = new LongAdder();
  public final LongAdder queuesDeclared = new LongAdder();
  public final LongAdder queuesCreated = new LongAdder();
  public final LongAdder queuesDeleted = new LongAdder();
}
