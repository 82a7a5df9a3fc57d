package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.generated.BasicPublish;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.warren.amqp.Frames.body;
import static io.warren.amqp.Frames.frame;
import static io.warren.amqp.Frames.header;
import static io.warren.amqp.Frames.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Body frames that span several reads: taken slice by slice from the read buffers, never copied, never leaked. */
class FrameDecoderStreamingTest {

    private static final int FRAME_MAX = 131072;
    private static final BasicPublish PUBLISH = new BasicPublish("", "q", false, false);

    @Test
    void aBodyFrameSpanningManyReadsIsSlicedFromThemNotCopied() {
        byte[] bytes = random(FRAME_MAX - 8, 1);
        List<ByteBuf> reads = split(body(1, bytes), 4096);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        reads.forEach(ByteBuf::retain); // kept to look at them after the decoder let go
        reads.forEach(ch::writeInbound);

        BodyFrame frame = ch.readInbound();
        assertThat(ByteBufUtil.getBytes(frame.payload())).isEqualTo(bytes);
        // the payload is the read buffers' own memory: a byte changed in a read shows through
        ByteBuf third = reads.get(2);
        third.setByte(100, third.getByte(100) + 1);
        assertThat(frame.payload().getByte(2 * 4096 - 7 + 100)).isEqualTo((byte) (bytes[2 * 4096 - 7 + 100] + 1));
        assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isEqualTo(2));

        frame.release();
        reads.forEach(ByteBuf::release);
        assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void whileABodyFrameComesInPiecesTheDecoderSaysHowManyBytesAreStillOwed() {
        byte[] bytes = random(20_000, 3);
        ByteBuf all = Unpooled.buffer().writeBytes(method(1, PUBLISH)).writeBytes(body(1, bytes))
                .writeBytes(method(1, PUBLISH));
        int methodLength = method(1, PUBLISH).readableBytes();
        List<Integer> owed = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(FRAME_MAX) {
            @Override
            protected void expecting(ChannelHandlerContext ctx, int bytes) {
                owed.add(bytes);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // the method and the body's first 993 bytes (after its 7-byte prefix), then 10,000 more, then the rest
        ch.writeInbound(copy(all, methodLength + 1000));
        ch.writeInbound(copy(all, 10_000));
        ch.writeInbound(copy(all, all.readableBytes()));
        all.release();

        // the payload still owed plus its frame-end octet after each cut read, then 0 once the frame is whole
        assertThat(owed).containsExactly(20_000 - 993 + 1, 20_000 - 10_993 + 1, 0);
        assertThat((Object) ch.readInbound()).isEqualTo(new MethodFrame(1, PUBLISH));
        BodyFrame body = ch.readInbound();
        assertThat(ByteBufUtil.getBytes(body.payload())).isEqualTo(bytes);
        body.release();
        assertThat((Object) ch.readInbound()).isEqualTo(new MethodFrame(1, PUBLISH));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aBodyExactlyAtFrameMaxSplitJustBeforeAndAfterItsFrameEnd() {
        byte[] bytes = random(FRAME_MAX - 8, 2);
        for (int cut : new int[] {1, 6, 7, 8, FRAME_MAX - 2, FRAME_MAX - 1}) {
            ByteBuf all = Unpooled.buffer().writeBytes(method(1, PUBLISH)).writeBytes(body(1, bytes))
                    .writeBytes(body(1, bytes));
            int methodLength = all.readableBytes() - 2 * FRAME_MAX;
            List<ByteBuf> reads = List.of(copy(all, methodLength + cut), copy(all, FRAME_MAX),
                    copy(all, all.readableBytes()));
            all.release();
            List<Object> frames = decode(reads);
            assertThat(frames).as("cut at %d", cut).hasSize(3);
            assertThat(frames.get(0)).isEqualTo(new MethodFrame(1, PUBLISH));
            assertThat(ByteBufUtil.getBytes(((BodyFrame) frames.get(1)).payload())).isEqualTo(bytes);
            assertThat(ByteBufUtil.getBytes(((BodyFrame) frames.get(2)).payload())).isEqualTo(bytes);
            frames.forEach(ReferenceCountUtil::release);
            assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
        }
    }

    @Test
    void aBadFrameEndAfterAStreamedBodyIsAFrameErrorAndReleasesWhatWasTaken() {
        ByteBuf bad = frame(3, 1, Unpooled.wrappedBuffer(new byte[50_000]), 0xCD);
        List<ByteBuf> reads = split(bad, 10_000);
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX), errorsTo(errors));
        reads.forEach(ch::writeInbound);
        assertThat(errors).singleElement().isInstanceOfSatisfying(FrameException.class,
                e -> assertThat(e.getMessage()).contains("0xcd"));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    }

    @Test
    void aConnectionLostMidBodyReleasesThePartialFrame() {
        List<ByteBuf> reads = split(body(1, new byte[100_000]), 30_000);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        ch.writeInbound(reads.get(0));
        ch.writeInbound(reads.get(1));
        ch.close();
        assertThat(reads.subList(0, 2)).allSatisfy(r -> assertThat(r.refCnt()).isZero());
        reads.subList(2, reads.size()).forEach(ByteBuf::release);

        // a small frame cut in two, then the connection lost
        List<ByteBuf> small = split(method(1, PUBLISH), 5);
        EmbeddedChannel ch2 = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        ch2.writeInbound(small.get(0));
        ch2.close();
        assertThat(small.get(0).refCnt()).isZero();
        small.subList(1, small.size()).forEach(ByteBuf::release);
    }

    @Test
    void aFrameTooLargeIsRefusedFromItsPrefixEvenWhenThatArrivesInPieces() {
        ByteBuf prefix = Unpooled.buffer().writeByte(3).writeShort(1).writeInt(FRAME_MAX - 7);
        List<ByteBuf> reads = split(prefix, 3);
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX), errorsTo(errors));
        reads.forEach(ch::writeInbound);
        assertThat(errors).singleElement().isInstanceOfSatisfying(FrameException.class,
                e -> assertThat(e.getMessage()).isEqualTo("frame size " + (FRAME_MAX + 1) + " exceeds frame-max "
                        + FRAME_MAX));
        assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    }

    /**
     * Any stream of well-formed frames, of sizes on both sides of the streaming threshold and up to frame-max, cut into
     * reads anywhere, decodes to the same frames, and every read buffer is free once the frames are released.
     */
    @Property(tries = 100)
    void anyCutOfWellFormedFramesDecodesTheSameAndLeaksNothing(@ForAll("bodySizes") List<Integer> sizes,
            @ForAll @IntRange(min = 64, max = 70_000) int step, @ForAll long seed) {
        Random random = new Random(seed);
        ByteBuf all = Unpooled.buffer();
        List<byte[]> bodies = new ArrayList<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            bodies.add(b);
            all.writeBytes(method(1, PUBLISH)).writeBytes(header(1, size, BasicProperties.EMPTY))
                    .writeBytes(body(1, b));
        }
        List<ByteBuf> reads = new ArrayList<>();
        while (all.isReadable()) {
            reads.add(copy(all, Math.min(all.readableBytes(), 1 + random.nextInt(step))));
        }
        all.release();

        List<Object> frames = decode(reads);
        assertThat(frames).hasSize(3 * sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            assertThat(frames.get(3 * i)).isEqualTo(new MethodFrame(1, PUBLISH));
            assertThat(((HeaderFrame) frames.get(3 * i + 1)).bodySize()).isEqualTo((long) sizes.get(i));
            assertThat(ByteBufUtil.getBytes(((BodyFrame) frames.get(3 * i + 2)).payload())).isEqualTo(bodies.get(i));
        }
        frames.forEach(ReferenceCountUtil::release);
        assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    }

    @Provide
    Arbitrary<List<Integer>> bodySizes() {
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(FrameDecoder.STREAM_MIN - 2, FrameDecoder.STREAM_MIN + 2),
                Arbitraries.integers().between(1000, FRAME_MAX - 8), Arbitraries.just(FRAME_MAX - 8));
        return size.list().ofMinSize(1).ofMaxSize(5);
    }

    private static List<Object> decode(List<ByteBuf> reads) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        reads.forEach(r -> ch.writeInbound(r.retain()));
        List<Object> frames = new ArrayList<>();
        for (Object frame; (frame = ch.readInbound()) != null; ) {
            frames.add(frame);
        }
        assertThat(ch.finish()).isFalse();
        reads.forEach(ByteBuf::release);
        return frames;
    }

    private static List<ByteBuf> split(ByteBuf all, int step) {
        List<ByteBuf> reads = new ArrayList<>();
        while (all.isReadable()) {
            reads.add(copy(all, Math.min(step, all.readableBytes())));
        }
        all.release();
        return reads;
    }

    /** The next {@code n} bytes in a buffer of their own, as a socket read would be. */
    private static ByteBuf copy(ByteBuf all, int n) {
        return Unpooled.copiedBuffer(all.readSlice(n));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ChannelInboundHandlerAdapter errorsTo(List<Throwable> errors) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        };
    }
}
