package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warren.amqp.generated.BasicDeliver;
import io.warren.amqp.generated.BasicPublish;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole messages framed by the RabbitMQ Java client's own code, and ours read back by it. */
class RabbitClientInteropTest {

    private static final int FRAME_MAX = 4096;

    @Test
    void assemblesAMessageTheRabbitMqClientFramed() throws Exception {
        byte[] body = new byte[10_000];
        new Random(7).nextBytes(body);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("text/plain").deliveryMode(2).headers(Map.of("x-retries", 2)).build();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(wire);
        new AMQImpl.Basic.Publish(0, "amq.topic", "a.b", true, false).toFrame(5).writeTo(out);
        props.toFrame(5, body.length).writeTo(out);
        for (int offset = 0; offset < body.length; offset += FRAME_MAX - 8) {
            com.rabbitmq.client.impl.Frame.fromBodyFragment(5, body, offset,
                    Math.min(FRAME_MAX - 8, body.length - offset)).writeTo(out);
        }

        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        ch.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));
        CommandAssembler assembler = new CommandAssembler(1 << 20);
        Command command = null;
        for (Object frame; (frame = ch.readInbound()) != null; ) {
            assertThat(((Frame) frame).channel()).isEqualTo(5);
            command = assembler.accept((Frame) frame);
        }

        assertThat(command.method()).isEqualTo(new BasicPublish("amq.topic", "a.b", true, false));
        BasicProperties ours = command.properties();
        assertThat(ours.contentType()).isEqualTo("text/plain");
        assertThat(ours.persistent()).isTrue();
        assertThat(ours.headers()).isEqualTo(Map.of("x-retries", 2));
        assertThat(ByteBufUtil.getBytes(command.body())).isEqualTo(body);
        command.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theRabbitMqClientReadsADeliveryWeFramed() throws Exception {
        byte[] body = new byte[9_000];
        new Random(8).nextBytes(body);
        ByteBuf raw = Unpooled.buffer();
        BasicProperties.builder().messageId("m-7").priority(3).build().encode(raw);
        ByteBuf wire = FrameWriter.encodeContent(UnpooledByteBufAllocator.DEFAULT, 3,
                new BasicDeliver("ctag", 11, false, "ex", "rk"), raw, Unpooled.wrappedBuffer(body), FRAME_MAX);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(ByteBufUtil.getBytes(wire)));
        wire.release();

        com.rabbitmq.client.impl.Frame methodFrame = com.rabbitmq.client.impl.Frame.readFrom(in, FRAME_MAX);
        AMQP.Basic.Deliver deliver = (AMQP.Basic.Deliver) AMQImpl.readMethodFrom(methodFrame.getInputStream());
        assertThat(deliver.getConsumerTag()).isEqualTo("ctag");
        assertThat(deliver.getDeliveryTag()).isEqualTo(11);
        assertThat(deliver.getRoutingKey()).isEqualTo("rk");

        DataInputStream header = com.rabbitmq.client.impl.Frame.readFrom(in, FRAME_MAX).getInputStream();
        assertThat(header.readUnsignedShort()).isEqualTo(60);
        AMQP.BasicProperties props = new AMQP.BasicProperties(header);
        assertThat(props.getBodySize()).isEqualTo(body.length);
        assertThat(props.getMessageId()).isEqualTo("m-7");
        assertThat(props.getPriority()).isEqualTo(3);

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (received.size() < body.length) {
            com.rabbitmq.client.impl.Frame frame = com.rabbitmq.client.impl.Frame.readFrom(in, FRAME_MAX);
            assertThat(frame.type).isEqualTo(3);
            received.write(frame.getPayload());
        }
        assertThat(received.toByteArray()).isEqualTo(body);
        assertThat(in.available()).isZero();
    }
}
