package io.warren.management.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates request bodies up to the configured limit; a larger one is answered 413 in RabbitMQ's error JSON and
 * the connection closed (the rest of the body is not read). Confined to the management event loop.
 */
public final class BodyLimit extends HttpObjectAggregator {
  private final int limit;

  public BodyLimit(int limit) {
    super(limit);
    this.limit = limit;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    HttpApiHandler.write(ctx, Response.error(413, "payload_too_large",
        "the request body is larger than the limit of " + limit + " bytes"), false, false);
  }
}
