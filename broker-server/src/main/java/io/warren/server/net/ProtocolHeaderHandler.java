package io.warren.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warren.amqp.FrameDecoder;
import io.warren.amqp.generated.ProtocolConstants;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Reads the 8-byte protocol header a client sends first. On "AMQP 0 0 9 1" (or the 0-9 header, as RabbitMQ) it fires
 * {@link ProtocolHeaderAccepted} and leaves the pipeline to the frame decoder; on anything else it answers with the
 * header it supports and closes the socket, as the spec asks. Confined to the connection's event loop.
 */
public final class ProtocolHeaderHandler extends ByteToMessageDecoder {
  public static final String NAME = "protocol-header";
  public static final String FRAME_DECODER = "frame-decoder";
  private static final byte[] SUPPORTED = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
  /** The 0-9 header, which RabbitMQ accepts and serves as 0-9-1 (the two are close enough for clients). */
  private static final byte[] AMQP_0_9 = {'A', 'M', 'Q', 'P', 1, 1, 0, 9};
  private final RejectionLog rejections;
  /** The receive low-water mark for large body frames on the native transport (see {@link ReadLowWater}). */
  private final int lowWaterMark;
  private boolean rejected;

  public ProtocolHeaderHandler(RejectionLog rejections) {
    this(rejections, ReadLowWater.markFor(0));
  }

  public ProtocolHeaderHandler(RejectionLog rejections, int lowWaterMark) {
    this.rejections = rejections;
    this.lowWaterMark = lowWaterMark;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (rejected) { // answered already; more input may arrive before the close completes
      in.skipBytes(in.readableBytes());
      return;
    }
    int n = Math.min(in.readableBytes(), SUPPORTED.length);
    // a client that sends something else entirely, shorter than a header, still gets an answer once it pauses
    if (!startsWith(in, SUPPORTED, n) && !startsWith(in, AMQP_0_9, n)) {
      rejected = true;
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      rejections.refused("bad protocol header", remote.getAddress(), "Refused connection from " + remote
          + ": bad protocol header " + ByteBufUtil.hexDump(in, in.readerIndex(), n));
      in.skipBytes(in.readableBytes());
      ctx.writeAndFlush(Unpooled.wrappedBuffer(SUPPORTED)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (n < SUPPORTED.length) {
      return;
    }
    in.skipBytes(SUPPORTED.length);
    // until tune-ok, frames are limited to the protocol's minimum frame size, as in RabbitMQ
    ctx.pipeline().addAfter(NAME, FRAME_DECODER, ctx.channel() instanceof EpollSocketChannel
        ? new ReadLowWater(ProtocolConstants.FRAME_MIN_SIZE, lowWaterMark)
        : new FrameDecoder(ProtocolConstants.FRAME_MIN_SIZE));
    ctx.fireUserEventTriggered(ProtocolHeaderAccepted.INSTANCE);
    ctx.pipeline().remove(this); // hands any bytes read beyond the header on to the frame decoder
  }

  private static boolean startsWith(ByteBuf in, byte[] header, int n) {
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != header[i]) {
        return false;
      }
    }
    return true;
  }

  /** Event fired once the client's protocol header is accepted. */
  public enum ProtocolHeaderAccepted {
    INSTANCE
  }
}
