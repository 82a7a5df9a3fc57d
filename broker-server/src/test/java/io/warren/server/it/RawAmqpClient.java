package io.warren.server.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BodyFrame;
import io.warren.amqp.Frame;
import io.warren.amqp.FrameDecoder;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.HeartbeatFrame;
import io.warren.amqp.LongString;
import io.warren.amqp.MethodFrame;
import io.warren.amqp.ProtocolHeader;
import io.warren.amqp.generated.ChannelOpen;
import io.warren.amqp.generated.ChannelOpenOk;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionCloseOk;
import io.warren.amqp.generated.ConnectionOpen;
import io.warren.amqp.generated.ConnectionOpenOk;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.amqp.generated.ConnectionTuneOk;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A tiny blocking AMQP client over a plain socket, for the malformed and out-of-order input the Java client cannot
 * produce. Frames are encoded with {@link FrameWriter} and decoded with the broker's own {@link FrameDecoder}; every
 * read has a timeout so a silent broker fails the test instead of hanging it. Not thread-safe: one test thread.
 */
final class RawAmqpClient implements AutoCloseable {
  static final int DEFAULT_FRAME_MAX = 131072;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** Decodes one complete frame at a time; no frame-max, so oversized server frames are seen, not refused. */
  private final EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(0));
  private int lastFrameSize;

  private RawAmqpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawAmqpClient connect(int port) {
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
      s.setSoTimeout((int) READ_TIMEOUT.toMillis());
      return new RawAmqpClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects and completes the handshake as guest/guest on vhost "/", with default tuning and no heartbeat. */
  static RawAmqpClient open(int port) {
    RawAmqpClient c = connect(port);
    c.handshake(0, DEFAULT_FRAME_MAX, 0);
    return c;
  }

  // ---- handshake ------------------------------------------------------------------------------------------------

  /**
   * Header, start-ok (PLAIN guest/guest), tune-ok with the given values (channel-max 0: the broker's), open "/"; waits
   * for open-ok.
   */
  void handshake(int channelMax, int frameMax, int heartbeat) {
    ConnectionTune offered = login("PLAIN", LongString.copyOf("\0guest\0guest".getBytes(StandardCharsets.UTF_8)));
    tune(channelMax == 0 ? offered.channelMax() : channelMax, frameMax, heartbeat);
    send(0, new ConnectionOpen("/"));
    expect(ConnectionOpenOk.class);
  }

  /** Sends the protocol header and start-ok; returns connection.tune, or throws if the server closed instead. */
  ConnectionTune login(String mechanism, LongString response) {
    sendProtocolHeader();
    expect(ConnectionStart.class);
    send(0, new ConnectionStartOk(Map.of("product", LongString.of("RawAmqpClient")), mechanism, response, "en_US"));
    return expect(ConnectionTune.class);
  }

  void tune(int channelMax, int frameMax, int heartbeat) {
    send(0, new ConnectionTuneOk(channelMax, frameMax, heartbeat));
  }

  void openChannel(int channel) {
    send(channel, ChannelOpen.INSTANCE);
    MethodFrame ok = readMethodFrame();
    if (!(ok.method() instanceof ChannelOpenOk) || ok.channel() != channel) {
      throw new AssertionError("expected channel.open-ok on " + channel + ", got " + ok);
    }
  }

  // ---- writing --------------------------------------------------------------------------------------------------

  void sendProtocolHeader() {
    sendBytes(ProtocolHeader.bytes());
  }

  void send(int channel, AmqpMethod method) {
    ByteBuf buf = Unpooled.buffer();
    FrameWriter.writeMethod(buf, channel, method);
    sendBytes(toArray(buf));
  }

  /** A content header with no properties (property flags 0). */
  void sendHeader(int channel, int classId, long bodySize) {
    ByteBuf payload = Unpooled.buffer(14).writeShort(classId).writeShort(0).writeLong(bodySize).writeShort(0);
    sendFrame(2, channel, toArray(payload));
  }

  void sendBody(int channel, byte[] body) {
    sendFrame(3, channel, body);
  }

  void sendHeartbeat(int channel) {
    sendFrame(8, channel, new byte[0]);
  }

  void sendFrame(int type, int channel, byte[] payload) {
    sendFrame(type, channel, payload, 0xCE);
  }

  /** Any frame, with any frame-end octet. */
  void sendFrame(int type, int channel, byte[] payload, int frameEnd) {
    ByteBuf buf = Unpooled.buffer(payload.length + 8);
    buf.writeByte(type).writeShort(channel).writeInt(payload.length).writeBytes(payload).writeByte(frameEnd);
    sendBytes(toArray(buf));
  }

  /** A method frame holding raw payload bytes (class id, method id, arguments as given). */
  void sendMethodPayload(int channel, byte[] payload) {
    sendFrame(1, channel, payload);
  }

  void sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- reading --------------------------------------------------------------------------------------------------

  private void restoreReadTimeout() {
    try {
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    } catch (SocketException e) {
      // the socket is closed: the next read reports that
    }
  }

  /** Exactly n bytes, or an exception on timeout or end of stream. */
  byte[] readBytes(int n) {
    byte[] b = new byte[n];
    try {
      in.readFully(b);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next frame, decoded by the broker's codec. Header and body frames are reference counted: release them
   * (ReferenceCountUtil.release). Throws on timeout or end of stream.
   */
  Frame readFrame() {
    return decodeFrame(readBytes(7));
  }

  /** The next frame, or null if none starts within the timeout (so a frame is never cut in half). */
  Frame pollFrame(Duration timeout) {
    byte[] prefix = new byte[7];
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      int first = in.read();
      if (first < 0) {
        throw new EOFException("connection closed by the broker");
      }
      prefix[0] = (byte) first;
      restoreReadTimeout();
      in.readFully(prefix, 1, 6);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      restoreReadTimeout();
    }
    return decodeFrame(prefix);
  }

  private Frame decodeFrame(byte[] prefix) {
    int size = ((prefix[3] & 0xFF) << 24) | ((prefix[4] & 0xFF) << 16) | ((prefix[5] & 0xFF) << 8) | (prefix[6] & 0xFF);
    byte[] rest = readBytes(size + 1);
    lastFrameSize = size;
    decoder.writeInbound(Unpooled.wrappedBuffer(prefix, rest));
    Frame frame = decoder.readInbound();
    if (frame == null) {
      throw new AssertionError("the codec did not decode a frame of " + size + " bytes");
    }
    return frame;
  }

  /** Payload size of the frame {@link #readFrame} returned last, as the broker wrote it: for checking frame-max. */
  int lastFrameSize() {
    return lastFrameSize;
  }

  /** The next method frame, skipping heartbeats; content frames are an error here. */
  MethodFrame readMethodFrame() {
    while (true) {
      Frame f = readFrame();
      if (f instanceof MethodFrame mf) {
        return mf;
      }
      if (!(f instanceof HeartbeatFrame)) {
        ReferenceCountUtil.release(f);
        throw new AssertionError("expected a method frame, got " + f);
      }
    }
  }

  <T extends AmqpMethod> T expect(Class<T> type) {
    AmqpMethod m = readMethodFrame().method();
    if (!type.isInstance(m)) {
      throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
    }
    return type.cast(m);
  }

  /** Reads until the broker's connection.close, answers close-ok, and returns the close. */
  ConnectionClose expectConnectionClose() {
    while (true) {
      MethodFrame mf = readMethodFrame();
      if (mf.method() instanceof ConnectionClose close) {
        trySend(0, new ConnectionCloseOk());
        return close;
      }
    }
  }

  /** Reads a body frame's bytes. */
  byte[] readBody() {
    Frame f = readFrame();
    if (!(f instanceof BodyFrame b)) {
      ReferenceCountUtil.release(f);
      throw new AssertionError("expected a body frame, got " + f);
    }
    try {
      return toArray(b.payload());
    } finally {
      b.release();
    }
  }

  /** True once the broker closed the socket (end of stream or reset) within the timeout; discards data read. */
  boolean awaitClosedByPeer(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          return false;
        }
      }
      return false;
    } catch (EOFException | SocketException e) {
      return true; // connection reset counts as closed
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      restoreReadTimeout();
    }
  }

  /**
   * Reads until the broker closes the socket (end of stream or reset) and returns how many bytes came before that,
   * or -1 if it is still open after the timeout.
   */
  int bytesUntilClosedByPeer(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int n = 0;
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try {
          if (in.read() < 0) {
            return n;
          }
          n++;
        } catch (SocketTimeoutException e) {
          return -1;
        }
      }
      return -1;
    } catch (EOFException | SocketException e) {
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      restoreReadTimeout();
    }
  }

  private void trySend(int channel, AmqpMethod method) {
    try {
      send(channel, method);
    } catch (UncheckedIOException e) {
      // the broker may already have closed the socket
    }
  }

  /** Drops the TCP connection without any AMQP close: an abrupt client. */
  void abort() {
    try {
      socket.setSoLinger(true, 0); // RST rather than FIN: as abrupt as it gets
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do
    }
    decoder.finishAndReleaseAll();
  }

  /**
   * The class and method ids a connection.close or channel.close names as the cause: the generated records' classId()
   * and methodId() are those of the close method itself, so read the fields back from the encoded arguments.
   */
  static int[] failingMethodOf(AmqpMethod close) {
    ByteBuf buf = Unpooled.buffer();
    close.encodeArguments(buf);
    buf.skipBytes(2); // reply-code
    buf.skipBytes(buf.readUnsignedByte()); // reply-text
    return new int[] {buf.readUnsignedShort(), buf.readUnsignedShort()};
  }

  private static byte[] toArray(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    return b;
  }
}
