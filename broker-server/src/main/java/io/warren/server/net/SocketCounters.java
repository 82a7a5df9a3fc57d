package io.warren.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Counts the bytes a client connection reads and writes, and how many reads and flushes carried them (the management
 * API's recv_oct, send_oct, recv_cnt, send_cnt). First in the pipeline, so it sees the raw socket bytes. Written only
 * on the connection's event loop as plain fields; other threads read them racily (a slightly stale figure is fine).
 */
public final class SocketCounters extends ChannelDuplexHandler {
  public static final String NAME = "socket-counters";

  private long receivedOctets;
  private long receivedReads;
  private long sentOctets;
  private long sentWrites;
  private long sentFlushes;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      receivedOctets += b.readableBytes();
      receivedReads++;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    sentWrites++;
    if (msg instanceof ByteBuf b) {
      sentOctets += b.readableBytes();
    } else if (msg instanceof ByteBufHolder h) {
      sentOctets += h.content().readableBytes();
    } else if (msg instanceof FileRegion f) {
      sentOctets += f.count();
    }
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    sentFlushes++;
    ctx.flush();
  }

  public long receivedOctets() {
    return receivedOctets;
  }

  public long receivedReads() {
    return receivedReads;
  }

  public long sentOctets() {
    return sentOctets;
  }

  /** Writes passed down the pipeline: each is one entry of Netty's outbound buffer. */
  public long sentWrites() {
    return sentWrites;
  }

  public long sentFlushes() {
    return sentFlushes;
  }
}
