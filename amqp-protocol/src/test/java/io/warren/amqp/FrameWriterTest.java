package io.warren.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.warren.amqp.generated.BasicDeliver;
import io.warren.amqp.generated.ConnectionTune;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameWriterTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final BasicDeliver DELIVER = new BasicDeliver("ctag", 42, true, "amq.direct", "key");

    @Test
    void splitsTheBodyAtFrameMaxWithRetainedSlices() {
        byte[] bytes = new byte[10_000];
        new Random(1).nextBytes(bytes);
        ByteBuf body = Unpooled.wrappedBuffer(bytes);
        ByteBuf raw = rawProperties(BasicProperties.builder().headers(Map.of("k", 1)).deliveryMode(2).build());

        List<ByteBuf> written = new ArrayList<>();
        FrameWriter.writeContent(ALLOC, 7, DELIVER, raw, body, 4096, written::add);

        // head, slice, end+prefix, slice, end+prefix, slice, end
        assertThat(written).hasSize(7);
        assertThat(written.get(1).unwrap()).isSameAs(body);
        assertThat(written.get(1).readableBytes()).isEqualTo(4088);
        assertThat(written.get(3).readableBytes()).isEqualTo(4088);
        assertThat(written.get(5).readableBytes()).isEqualTo(10_000 - 2 * 4088);
        assertThat(body.refCnt()).isEqualTo(4);
        assertThat(body.readerIndex()).isZero();
        assertThat(raw.readerIndex()).isZero();

        List<Object> frames = decode(written, 4096);
        assertThat(frames).hasSize(5);
        assertThat(frames.get(0)).isEqualTo(new MethodFrame(7, DELIVER));
        HeaderFrame header = (HeaderFrame) frames.get(1);
        assertThat(header.bodySize()).isEqualTo(10_000);
        assertThat(header.rawProperties()).isEqualTo(raw);
        CommandAssembler assembler = new CommandAssembler(Long.MAX_VALUE);
        Command command = null;
        for (Object frame : frames) {
            command = assembler.accept((Frame) frame);
        }
        assertThat(ByteBufUtil.getBytes(command.body())).isEqualTo(bytes);
        command.release();
        assertThat(body.refCnt()).isEqualTo(1);
    }

    @Test
    void bodyOfExactlyOneFrameAndEmptyBody() {
        ByteBuf raw = rawProperties(BasicProperties.EMPTY);
        List<ByteBuf> written = new ArrayList<>();
        ByteBuf small = Unpooled.wrappedBuffer(new byte[4088]);
        FrameWriter.writeContent(ALLOC, 1, DELIVER, raw, small, 4096, written::add);
        assertThat(written).hasSize(1); // a small body is copied into the buffer of the method and header frames
        assertThat(small.refCnt()).isEqualTo(1);
        List<Object> frames = decode(written, 4096);
        assertThat(((BodyFrame) frames.get(2)).payload().readableBytes()).isEqualTo(4088);
        frames.forEach(ReferenceCountUtil::release);

        written.clear();
        FrameWriter.writeContent(ALLOC, 1, DELIVER, raw, Unpooled.EMPTY_BUFFER, 4096, written::add);
        assertThat(written).hasSize(1); // method and header only: no body frame, as RabbitMQ sends it
        frames = decode(written, 4096);
        assertThat(frames).hasSize(2);
        assertThat(((HeaderFrame) frames.get(1)).bodySize()).isZero();
        frames.forEach(ReferenceCountUtil::release);
    }

    @Test
    void smallBodiesAreCopiedInlineAndLargerOnesSliced() {
        ByteBuf raw = rawProperties(BasicProperties.builder().contentType("text/plain").build());
        for (int size : new int[] {1, 1000, FrameWriter.INLINE_BODY_MAX, FrameWriter.INLINE_BODY_MAX + 1}) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            ByteBuf body = Unpooled.wrappedBuffer(bytes);
            List<ByteBuf> written = new ArrayList<>();
            FrameWriter.writeContent(ALLOC, 3, DELIVER, raw, body, 131072, written::add);
            assertThat(written).hasSize(size <= FrameWriter.INLINE_BODY_MAX ? 1 : 3);
            List<Object> frames = decode(written, 131072);
            assertThat(frames).hasSize(3);
            assertThat(frames.get(0)).isEqualTo(new MethodFrame(3, DELIVER));
            assertThat(((HeaderFrame) frames.get(1)).bodySize()).isEqualTo(size);
            assertThat(ByteBufUtil.getBytes(((BodyFrame) frames.get(2)).payload())).isEqualTo(bytes);
            frames.forEach(ReferenceCountUtil::release);
            assertThat(body.refCnt()).isEqualTo(1);
            assertThat(body.readerIndex()).isZero();
        }
    }

    @Test
    void encodeContentGathersEverythingIntoOneComposite() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[5000]);
        CompositeByteBuf out = FrameWriter.encodeContent(ALLOC, 2, DELIVER, rawProperties(BasicProperties.EMPTY),
                body, 4096);
        assertThat(decode(List.of(out), 4096)).hasSize(4).allSatisfy(ReferenceCountUtil::release);
        assertThat(body.refCnt()).isEqualTo(1);
    }

    @Test
    void methodFramesAreWhatTheRabbitMqClientReads() throws Exception {
        ByteBuf out = FrameWriter.encodeMethod(ALLOC, 0, new ConnectionTune(2047, 131072, 60));
        FrameWriter.writeHeartbeat(out);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(ByteBufUtil.getBytes(out)));
        com.rabbitmq.client.impl.Frame tune = com.rabbitmq.client.impl.Frame.readFrom(in, 4096);
        assertThat(tune.type).isEqualTo(1);
        var method = (com.rabbitmq.client.AMQP.Connection.Tune) AMQImpl.readMethodFrom(tune.getInputStream());
        assertThat(method.getChannelMax()).isEqualTo(2047);
        assertThat(method.getFrameMax()).isEqualTo(131072);
        assertThat(method.getHeartbeat()).isEqualTo(60);
        assertThat(com.rabbitmq.client.impl.Frame.readFrom(in, 4096).type).isEqualTo(8);
        out.release();
    }

    private static ByteBuf rawProperties(BasicProperties properties) {
        ByteBuf raw = Unpooled.buffer();
        properties.encode(raw);
        return raw;
    }

    private static List<Object> decode(List<ByteBuf> written, int frameMax) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(frameMax));
        written.forEach(ch::writeInbound);
        List<Object> frames = new ArrayList<>();
        for (Object frame; (frame = ch.readInbound()) != null; ) {
            frames.add(frame);
        }
        ch.finish();
        return frames;
    }
}
