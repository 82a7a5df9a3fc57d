package io.warren.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.warren.amqp.FrameDecoder;

/**
 * The frame decoder of a connection on the native (epoll) transport, which also tells the kernel not to wake the event
 * loop for every segment of a large body frame. A client writing a 1 MB frame sends it in segments of up to 64 KiB, and
 * each arrival woke the loop for one read: about 16 wakeups, reads and epoll calls per message on the publisher's
 * loop, nearly all of a large message's context switches. While at least {@link #mark} bytes of the current body frame
 * are still owed, the socket's receive low-water mark (SO_RCVLOWAT) is that many bytes, so a wakeup comes with a
 * large read; below that, and between frames, it is 1 byte as usual. The mark never exceeds what the client is bound to
 * send next (the rest of a frame it has begun), so the wait always ends.
 *
 * <p>A client that sends the rest of a frame slowly still gets its bytes counted for heartbeats: {@link Heartbeats}
 * fires {@link #READS_QUIET} at a check that finds no byte read since the last one, and the mark goes back to 1 for
 * the rest of that frame. Confined to the connection's event loop.
 */
final class ReadLowWater extends FrameDecoder {
  /** Fired by {@link Heartbeats} when a check finds nothing read since the previous one. */
  static final Object READS_QUIET = new Object() {
    @Override
    public String toString() {
      return "READS_QUIET";
    }
  };
  /** SOL_SOCKET / SO_RCVLOWAT on Linux. */
  private static final ChannelOption<Integer> SO_RCVLOWAT = new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18);

  private final int mark;
  private int current = 1;
  /** Set when the reads went quiet during a frame: no mark until that frame is complete. */
  private boolean held;

  /**
   * @param frameMax as {@link FrameDecoder}
   * @param mark bytes a wakeup should bring while a large body frame is coming in; at most what the receive window
   *     holds (the socket's receive buffer setting, which Linux doubles)
   */
  ReadLowWater(int frameMax, int mark) {
    super(frameMax);
    if (mark < 2) {
      throw new IllegalArgumentException("low-water mark too small: " + mark);
    }
    this.mark = mark;
  }

  @Override
  protected void expecting(ChannelHandlerContext ctx, int bytes) {
    if (bytes == 0) {
      held = false;
    }
    set(ctx, bytes >= mark && !held ? mark : 1);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == READS_QUIET) {
      if (current != 1) {
        held = true;
        set(ctx, 1);
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private void set(ChannelHandlerContext ctx, int bytes) {
    if (bytes != current && ctx.channel().isActive()) {
      current = bytes;
      ctx.channel().config().setOption(SO_RCVLOWAT, bytes);
    }
  }

  /** The mark for a socket whose receive buffer setting is {@code receiveBuffer} (0: left to the OS). */
  static int markFor(int receiveBuffer) {
    return receiveBuffer > 0 ? receiveBuffer : 128 * 1024;
  }
}
