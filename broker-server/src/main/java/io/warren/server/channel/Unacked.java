package io.warren.server.channel;

import io.warren.store.QueueEntry;

/**
 * A delivery waiting for basic.ack/nack/reject.
 *
 * @param consumer the consumer it went to, null for basic.get
 * @param deliveredAt when it was handed to the client (epoch ms), for the acknowledgement timeout
 */
record Unacked(long tag, QueueEntry entry, ChannelConsumer consumer, long deliveredAt) {}
