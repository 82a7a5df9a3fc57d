package io.warren.server.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warren.amqp.BasicProperties;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-delivery-count} header of a redelivered message (as RabbitMQ's quorum queues set it): how many times
 * it came back to its queue unacknowledged. Only messages that came back pay for re-encoding their properties.
 * Stateless; any thread.
 */
final class DeliveryCount {
  static final String HEADER = "x-delivery-count";

  private DeliveryCount() {}

  /** The message's properties with the header set to {@code count}; the caller releases the new buffer. */
  static ByteBuf withHeader(ByteBuf rawProperties, int count, ByteBufAllocator alloc) {
    BasicProperties props = BasicProperties.decode(rawProperties.duplicate());
    Map<String, Object> headers = props.headers() == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(props.headers());
    headers.put(HEADER, (long) count);
    ByteBuf out = alloc.buffer(rawProperties.readableBytes() + 32);
    try {
      props.withHeaders(headers).encode(out);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    return out;
  }
}
