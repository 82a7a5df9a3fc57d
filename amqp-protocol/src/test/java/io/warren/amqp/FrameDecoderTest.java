package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.generated.BasicAck;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.Methods;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.warren.amqp.Frames.body;
import static io.warren.amqp.Frames.frame;
import static io.warren.amqp.Frames.header;
import static io.warren.amqp.Frames.heartbeat;
import static io.warren.amqp.Frames.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameDecoderTest {

    private static final BasicPublish PUBLISH = new BasicPublish("amq.direct", "key", true, false);

    @Test
    void decodesEveryFrameTypeFromOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(method(1, PUBLISH)).writeBytes(header(1, 5, BasicProperties.builder().deliveryMode(2).build()))
                .writeBytes(body(1, "hello".getBytes(StandardCharsets.US_ASCII))).writeBytes(heartbeat(0));
        assertThat(ch.writeInbound(in)).isTrue();

        assertThat((Frame) ch.readInbound()).isEqualTo(new MethodFrame(1, PUBLISH));
        HeaderFrame header = ch.readInbound();
        assertThat(header.channel()).isEqualTo(1);
        assertThat(header.classId()).isEqualTo(60);
        assertThat(header.bodySize()).isEqualTo(5);
        assertThat(header.properties().persistent()).isTrue();
        BodyFrame body = ch.readInbound();
        assertThat(body.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat((Frame) ch.readInbound()).isEqualTo(HeartbeatFrame.INSTANCE);

        // No copies: the slices keep the read buffer alive, and releasing them frees it.
        assertThat(in.refCnt()).isEqualTo(2);
        header.release();
        body.release();
        assertThat(in.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void reassemblesFramesSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf all = Unpooled.buffer().writeBytes(method(3, PUBLISH)).writeBytes(method(3, new BasicAck(9, false)));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        assertThat((Frame) ch.readInbound()).isEqualTo(new MethodFrame(3, PUBLISH));
        assertThat((Frame) ch.readInbound()).isEqualTo(new MethodFrame(3, new BasicAck(9, false)));
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void enforcesFrameMaxIncludingTheEightBytesOfOverhead() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ch.writeInbound(body(1, new byte[4088]));
        BodyFrame fits = ch.readInbound();
        assertThat(fits.payload().readableBytes()).isEqualTo(4088);
        fits.release();

        ByteBuf tooBig = Unpooled.buffer().writeByte(3).writeShort(1).writeInt(4089); // rejected before the payload
        assertThatThrownBy(() -> ch.writeInbound(tooBig))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.replyCode()).isEqualTo(501))
                .hasMessageContaining("4097");
        assertThat(tooBig.refCnt()).isZero();
    }

    @Test
    void frameMaxCanBeRaisedAfterTune() {
        FrameDecoder decoder = new FrameDecoder(4096);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.setFrameMax(131072);
        ch.writeInbound(body(1, new byte[100_000]));
        ReferenceCountUtil.release(ch.readInbound());
        assertThat(decoder.frameMax()).isEqualTo(131072);
    }

    @Test
    void badFrameEndIsAFrameErrorAndDiscardsTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf in = Unpooled.buffer().writeBytes(frame(3, 1, Unpooled.wrappedBuffer(new byte[3]), 0xCD))
                .writeBytes(heartbeat(0));
        assertThatThrownBy(() -> ch.writeInbound(in))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.connectionLevel()).isTrue())
                .hasMessageContaining("0xcd");
        ch.writeInbound(heartbeat(0));
        assertThat((Object) ch.readInbound()).isNull(); // the stream is out of step: nothing more is trusted
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void unknownFrameTypeIsAFrameErrorWithoutWaitingForThePayload() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf prefix = Unpooled.buffer().writeByte(4).writeShort(0).writeInt(100);
        assertThatThrownBy(() -> ch.writeInbound(prefix)).isInstanceOf(FrameException.class)
                .hasMessageContaining("unknown frame type 4");
        // A second protocol header where a frame should be: type 'A'.
        EmbeddedChannel ch2 = new EmbeddedChannel(new FrameDecoder(4096));
        assertThatThrownBy(() -> ch2.writeInbound(ProtocolHeader.encode())).isInstanceOf(FrameException.class);
    }

    @Test
    void badMethodArgumentsAreReportedAndDecodingGoesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf truncated = frame(1, 1, Unpooled.buffer().writeShort(60).writeShort(40).writeShort(0).writeByte(9));
        ByteBuf in = Unpooled.buffer().writeBytes(truncated).writeBytes(method(1, new BasicAck(1, false)));
        truncated.release();
        assertThatThrownBy(() -> ch.writeInbound(in))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.replyCode()).isEqualTo(501);
                    assertThat(e.classId()).isEqualTo(60);
                    assertThat(e.methodId()).isEqualTo(40);
                });
        // The frame was well delimited, so the next one (e.g. the client's close-ok) still gets through.
        assertThat((Frame) ch.readInbound()).isEqualTo(new MethodFrame(1, new BasicAck(1, false)));
    }

    @Test
    void heartbeatOnAChannelIsAnUnexpectedFrameAndDecodingGoesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        assertThatThrownBy(() -> ch.writeInbound(heartbeat(5))).isInstanceOfSatisfying(ConnectionException.class,
                e -> assertThat(e.replyCode()).isEqualTo(505)).hasMessageContaining("channel 5");
        ch.writeInbound(heartbeat(0));
        assertThat((Frame) ch.readInbound()).isEqualTo(HeartbeatFrame.INSTANCE);
    }

    @Test
    void shortContentHeaderIsAnError() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        ByteBuf in = frame(2, 1, Unpooled.buffer().writeShort(60).writeShort(0).writeLong(1));
        assertThatThrownBy(() -> ch.writeInbound(in)).isInstanceOf(FrameException.class);
        assertThat(in.refCnt()).isZero();
    }

    @Property(tries = 300)
    void garbageNeverEscapesAsAnythingElseNorLeaks(@ForAll("frameSoup") List<ByteBuf> chunks) {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        for (ByteBuf chunk : chunks) {
            ch.writeInbound(chunk);
        }
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(AmqpProtocolException.class));
        for (Object frame; (frame = ch.readInbound()) != null; ) {
            if (frame instanceof HeaderFrame h) {
                try {
                    h.properties();
                } catch (Throwable t) {
                    assertThat(t).isInstanceOf(MalformedFrameException.class);
                }
            }
            ReferenceCountUtil.release(frame);
        }
        ch.finishAndReleaseAll();
        assertThat(chunks).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    /** Mostly well-framed frames of every type with random payloads (real class/method ids), split randomly. */
    @Provide
    Arbitrary<List<ByteBuf>> frameSoup() {
        Arbitrary<Integer> types = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(1, 2, 3, 8)), Tuple.of(1, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Integer> methodIds = Arbitraries.of(Methods.all()).map(FrameDecoderTest::ids);
        Arbitrary<Integer> ends = Arbitraries.frequency(Tuple.of(20, 0xCE), Tuple.of(1, 0));
        Arbitrary<byte[]> frame = Combinators.combine(types, methodIds, payloads, ends).as((type, ids, payload, end) -> {
            ByteBuf p = Unpooled.buffer();
            if (type == 1) {
                p.writeInt(ids);
            } else if (type == 2) {
                p.writeShort(60).writeShort(0).writeLong(payload.length % 3);
            }
            p.writeBytes(payload);
            ByteBuf f = frame(type, type == 8 ? 0 : 1, p, end);
            byte[] bytes = new byte[f.readableBytes()];
            f.readBytes(bytes).release();
            return bytes;
        });
        return frame.list().ofMaxSize(6).flatMap(frames -> {
            ByteBuf all = Unpooled.buffer();
            frames.forEach(all::writeBytes);
            byte[] bytes = new byte[all.readableBytes()];
            all.readBytes(bytes).release();
            return Arbitraries.integers().between(1, Math.max(1, bytes.length)).map(step -> {
                List<ByteBuf> chunks = new ArrayList<>();
                for (int i = 0; i < bytes.length; i += step) {
                    chunks.add(Unpooled.copiedBuffer(bytes, i, Math.min(step, bytes.length - i)));
                }
                return chunks;
            });
        });
    }

    private static int ids(Class<? extends AmqpMethod> type) {
        try {
            return type.getField("CLASS_ID").getInt(null) << 16 | type.getField("METHOD_ID").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
