package io.warren.server.channel;

import io.warren.store.QueueEntry;

/**
 * A delivery waiting for basic.ack/nack/reject.
 *
 * @param consumer the consumer it went to, null for basic.get
 */
record Unacked(long tag, QueueEntry entry, ChannelConsumer consumer) {}
