package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolHeaderTest {

    @Test
    void acceptsAmqp091AndConsumesIt() {
        ByteBuf in = Unpooled.buffer().writeBytes(ProtocolHeader.bytes()).writeByte(1);
        assertThat(ProtocolHeader.check(in)).isEqualTo(ProtocolHeader.Check.ACCEPTED);
        assertThat(in.readableBytes()).isEqualTo(1);
    }

    @Test
    void waitsForMoreWhileThePrefixMatches() {
        ByteBuf in = Unpooled.copiedBuffer("AMQ", StandardCharsets.US_ASCII);
        assertThat(ProtocolHeader.check(in)).isEqualTo(ProtocolHeader.Check.INCOMPLETE);
        assertThat(in.readerIndex()).isZero();
    }

    @Test
    void rejectsOtherVersionsAndOtherProtocolsEarly() {
        ByteBuf amqp10 = Unpooled.wrappedBuffer(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
        assertThat(ProtocolHeader.check(amqp10)).isEqualTo(ProtocolHeader.Check.REJECTED);
        assertThat(amqp10.readerIndex()).isZero();
        assertThat(ProtocolHeader.check(Unpooled.copiedBuffer("GET", StandardCharsets.US_ASCII)))
                .isEqualTo(ProtocolHeader.Check.REJECTED);
        assertThat(ProtocolHeader.encode().readableBytes()).isEqualTo(ProtocolHeader.LENGTH);
    }
}
