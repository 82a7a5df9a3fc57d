package io.warren.server.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.warren.server.net.SocketCounters;

/**
 * The connection's socket as deliveries see it: how much room is left below its high water mark, whether anything
 * waits in Netty's outbound buffer, and how much has left that buffer for the kernel so far. The last two tell a queue
 * that a consumer held back by its socket (an auto-ack consumer that reads slowly) is still taking, between the bursts
 * in which the queue hands it messages. Any thread: Netty's figure is volatile, the byte counts are read racily (a
 * figure a little off only advances or delays a sign of progress).
 */
final class OutboundSocket {
  /**
   * What Netty's outbound buffer adds to each entry's size in its pending count (its
   * io.netty.transport.outboundBufferEntrySizeOverhead, 96 by default).
   */
  private static final long ENTRY_OVERHEAD = Long.getLong("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

  private final Channel channel;
  /** The connection's byte counts; null in tests without a real socket. */
  private final SocketCounters counters;

  OutboundSocket(Channel channel, SocketCounters counters) {
    this.channel = channel;
    this.counters = counters;
  }

  /** Bytes the outbound buffer takes before the socket turns unwritable; 0 when it is. */
  long room() {
    return channel.bytesBeforeUnwritable();
  }

  /** Bytes waiting in Netty's outbound buffer (with its per-entry overhead); 0 once closed. */
  long waiting() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /**
   * What has left Netty's outbound buffer for the kernel so far, counted as the buffer counts it (bytes plus the
   * per-entry overhead): it grows only while the client reads. 0 when unknown.
   */
  long drained() {
    if (counters == null) {
      return 0;
    }
    // the counters first: a write landing between the two reads then shows as less drained, never as progress
    long written = counters.sentOctets() + ENTRY_OVERHEAD * counters.sentWrites();
    return Math.max(0, written - waiting());
  }
}
