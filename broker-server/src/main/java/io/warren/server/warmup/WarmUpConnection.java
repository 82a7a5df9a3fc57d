package io.warren.server.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.FrameWriter;
import io.warren.amqp.LongString;
import io.warren.amqp.ProtocolHeader;
import io.warren.amqp.generated.ConnectionOpen;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.amqp.generated.ConnectionTuneOk;
import io.warren.amqp.generated.ProtocolConstants;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A bare AMQP 0-9-1 client connection over a blocking socket: just enough protocol to push warm-up traffic through a
 * broker (PLAIN login, no heartbeats, methods written pre-encoded, frames read into one reused buffer so that the
 * client side adds next to no garbage or compiled code of its own to the broker's JVM). Not a general client.
 *
 * <p>Threads: opened on one thread; afterwards one thread may read ({@link #readFrame}) while another writes
 * ({@link #write}), as the two directions of a socket are independent.
 */
final class WarmUpConnection implements Closeable {
    private static final int FRAME_MAX = 131_072;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The last frame read: its type, channel and payload (valid up to {@link #size}). */
    private int type;
    private int channel;
    private int size;
    private byte[] payload = new byte[1024];

    private WarmUpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /** Connects and logs in to vhost "/"; fails with IOException if the broker refuses or does not answer in time. */
    static WarmUpConnection open(InetSocketAddress address, String user, String password, int timeoutMillis)
            throws IOException {
        Socket s = new Socket();
        WarmUpConnection c = null;
        try {
            s.setTcpNoDelay(true);
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            c = new WarmUpConnection(s);
            c.out.write(ProtocolHeader.bytes());
            c.expect(0, 10, 10); // connection.start
            c.write(encode(0, new ConnectionStartOk(Map.of("product", "warren warm-up"), "PLAIN",
                LongString.of("\0" + user + "\0" + password), "en_US")));
            c.expect(0, 10, 30);
            ConnectionTune tune = ConnectionTune.decode(c.arguments());
            long frameMax = tune.frameMax() == 0 ? FRAME_MAX : Math.min(FRAME_MAX, tune.frameMax());
            c.write(encode(0, new ConnectionTuneOk(tune.channelMax(), frameMax, 0)));
            c.write(encode(0, new ConnectionOpen("/")));
            c.expect(0, 10, 41); // connection.open-ok
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One method frame's bytes. */
    static byte[] encode(int channel, AmqpMethod method) {
        ByteBuf buf = Unpooled.buffer(64);
        FrameWriter.writeMethod(buf, channel, method);
        return bytes(buf);
    }

    /** basic.publish's method, header and body frames, {@code body} bytes of zeros, with the given delivery mode. */
    static byte[] encodePublish(int channel, AmqpMethod publish, int body, int deliveryMode) {
        ByteBuf buf = Unpooled.buffer(body + 128);
        FrameWriter.writeMethod(buf, channel, publish);
        ByteBuf props = Unpooled.buffer(4);
        props.writeShort(0x1000).writeByte(deliveryMode); // property flags: delivery-mode only
        FrameWriter.writeHeader(buf, channel, 60, body, props);
        buf.writeByte(ProtocolConstants.FRAME_BODY).writeShort(channel).writeInt(body).writeZero(body);
        buf.writeByte(ProtocolConstants.FRAME_END);
        return bytes(buf);
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Writes a method and waits for the reply it expects (the next method frame on that channel). */
    void call(int channel, AmqpMethod method, int replyClass, int replyMethod) throws IOException {
        write(encode(channel, method));
        expect(channel, replyClass, replyMethod);
    }

    /** Reads the next frame; throws EOFException at the end of the stream. */
    void readFrame() throws IOException {
        type = in.readUnsignedByte();
        channel = in.readUnsignedShort();
        size = in.readInt();
        if (size < 0 || size > FRAME_MAX) {
            throw new IOException("warm-up: frame of " + size + " bytes from the broker");
        }
        if (payload.length < size) {
            payload = new byte[Math.max(size, payload.length * 2)];
        }
        in.readFully(payload, 0, size);
        if (in.readUnsignedByte() != ProtocolConstants.FRAME_END) {
            throw new IOException("warm-up: frame without its end marker");
        }
    }

    /** Whether the last frame read is the method {@code classId.methodId}. */
    boolean isMethod(int classId, int methodId) {
        return type == ProtocolConstants.FRAME_METHOD && size >= 4 && shortAt(0) == classId && shortAt(2) == methodId;
    }

    int channel() {
        return channel;
    }

    /** basic.deliver's delivery tag, when the last frame read is one. */
    long deliveryTag() {
        return longAt(5 + (payload[4] & 0xff)); // after class, method and the consumer tag (shortstr)
    }

    /** basic.ack's delivery tag, when the last frame read is one (a publisher confirm). */
    long ackedTag() {
        return longAt(4);
    }

    private long longAt(int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (payload[offset + i] & 0xff);
        }
        return v;
    }

    /** Reads frames until the method expected on {@code channel}; a connection.close or channel.close fails. */
    private void expect(int channel, int classId, int methodId) throws IOException {
        while (true) {
            readFrame();
            if (type == ProtocolConstants.FRAME_HEARTBEAT || this.channel != channel && !isMethod(10, 50)) {
                continue;
            }
            if (isMethod(classId, methodId)) {
                return;
            }
            if (isMethod(10, 50) || isMethod(20, 40)) {
                throw new IOException("warm-up: the broker closed: " + replyText());
            }
        }
    }

    private ByteBuf arguments() {
        return Unpooled.wrappedBuffer(payload, 4, size - 4);
    }

    private String replyText() {
        int len = payload[6] & 0xff; // after class, method and reply-code
        return (payload[4] << 8 & 0xff00 | payload[5] & 0xff) + " "
            + new String(payload, 7, Math.min(len, size - 7), StandardCharsets.UTF_8);
    }

    private int shortAt(int i) {
        return (payload[i] & 0xff) << 8 | payload[i + 1] & 0xff;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
