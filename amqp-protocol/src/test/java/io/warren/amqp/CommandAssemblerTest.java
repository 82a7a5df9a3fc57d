package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.generated.BasicAck;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.ExchangeDeclareOk;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandAssemblerTest {

    private static final MethodFrame PUBLISH = new MethodFrame(1, new BasicPublish("", "q", false, false));

    private final CommandAssembler assembler = new CommandAssembler(1024);

    @Test
    void methodWithoutContentIsACommandAtOnce() {
        Command command = assembler.accept(new MethodFrame(1, new BasicAck(5, true)));
        assertThat(command.method()).isEqualTo(new BasicAck(5, true));
        assertThat(command.hasContent()).isFalse();
        assertThat(command.body()).isNull();
        assertThat(command.properties()).isNull();
    }

    @Test
    void singleBodyFrameIsPassedOnAsIs() {
        HeaderFrame header = header(5);
        BodyFrame body = body("hello");
        assertThat(assembler.accept(PUBLISH)).isNull();
        assertThat(assembler.accept(header)).isNull();
        assertThat(assembler.assembling()).isTrue();
        Command command = assembler.accept(body);
        assertThat(command.method()).isEqualTo(PUBLISH.method());
        assertThat(command.header()).isSameAs(header);
        assertThat(command.body()).isSameAs(body.payload());
        assertThat(assembler.assembling()).isFalse();
        command.release();
        assertThat(header.refCnt()).isZero();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void severalBodyFramesBecomeACompositeWithoutCopying() {
        BodyFrame a = body("abc");
        BodyFrame empty = body("");
        BodyFrame b = body("de");
        BodyFrame c = body("fgh");
        assembler.accept(PUBLISH);
        assembler.accept(header(8));
        assertThat(assembler.accept(a)).isNull();
        assertThat(assembler.accept(empty)).isNull();
        assertThat(empty.refCnt()).isZero();
        assertThat(assembler.accept(b)).isNull();
        Command command = assembler.accept(c);

        assertThat(command.body()).isInstanceOf(CompositeByteBuf.class);
        CompositeByteBuf body = (CompositeByteBuf) command.body();
        assertThat(body.numComponents()).isEqualTo(3);
        assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
        assertThat(body.internalComponent(1).unwrap()).isSameAs(b.payload().unwrap());
        command.release();
        assertThat(a.refCnt() + b.refCnt() + c.refCnt()).isZero();
    }

    @Test
    void zeroBodySizeCompletesOnTheHeader() {
        assembler.accept(PUBLISH);
        Command command = assembler.accept(header(0));
        assertThat(command.body().readableBytes()).isZero();
        assertThat(command.properties()).isEqualTo(BasicProperties.EMPTY);
        command.release();
        assertThat(assembler.accept(new MethodFrame(1, new BasicAck(1, false)))).isNotNull();
    }

    @Test
    void headerWithoutMethodIsUnexpected() {
        HeaderFrame header = header(1);
        assertThatThrownBy(() -> assembler.accept(header))
                .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.replyCode()).isEqualTo(505));
        assertThat(header.refCnt()).isZero();
    }

    @Test
    void bodyWithoutHeaderIsUnexpected() {
        assembler.accept(PUBLISH);
        BodyFrame body = body("x");
        assertThatThrownBy(() -> assembler.accept(body))
                .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.replyCode()).isEqualTo(505));
        assertThat(body.refCnt()).isZero();
        assertThat(assembler.assembling()).isFalse();
    }

    @Test
    void methodInTheMiddleOfContentIsUnexpectedAndReleasesTheHalfCommand() {
        HeaderFrame header = header(10);
        BodyFrame part = body("12345");
        assembler.accept(PUBLISH);
        assembler.accept(header);
        assembler.accept(part);
        assertThatThrownBy(() -> assembler.accept(new MethodFrame(1, ExchangeDeclareOk.INSTANCE)))
                .isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.replyCode()).isEqualTo(505))
                .hasMessageContaining("expected content body for basic.publish");
        assertThat(header.refCnt()).isZero();
        assertThat(part.refCnt()).isZero();
    }

    @Test
    void headerOfAnotherClassIsUnexpected() {
        assembler.accept(PUBLISH);
        HeaderFrame header = new HeaderFrame(1, 70, 1, Unpooled.buffer().writeShort(0));
        assertThatThrownBy(() -> assembler.accept(header)).hasMessageContaining("class 70");
        assertThat(header.refCnt()).isZero();
    }

    @Test
    void oversizedMessageIsAChannelLevelPreconditionFailure() {
        assembler.accept(PUBLISH);
        HeaderFrame header = header(1025);
        assertThatThrownBy(() -> assembler.accept(header))
                .isInstanceOfSatisfying(ChannelException.class, e -> {
                    assertThat(e.replyCode()).isEqualTo(406);
                    assertThat(e.connectionLevel()).isFalse();
                    assertThat(e.classId()).isEqualTo(60);
                    assertThat(e.methodId()).isEqualTo(40);
                    assertThat(e.replyText()).isEqualTo(
                            "PRECONDITION_FAILED - message size 1025 is larger than configured max size 1024");
                });
        assertThat(header.refCnt()).isZero();
        assertThat(assembler.assembling()).isFalse();
    }

    @Test
    void moreBodyThanAnnouncedIsAFrameError() {
        HeaderFrame header = header(3);
        BodyFrame body = body("four");
        assembler.accept(PUBLISH);
        assembler.accept(header);
        assertThatThrownBy(() -> assembler.accept(body))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.replyCode()).isEqualTo(501));
        assertThat(header.refCnt() + body.refCnt()).isZero();
    }

    @Test
    void resetReleasesAHalfReceivedCommand() {
        HeaderFrame header = header(10);
        BodyFrame a = body("12");
        BodyFrame b = body("34");
        assembler.accept(PUBLISH);
        assembler.accept(header);
        assembler.accept(a);
        assembler.accept(b);
        assembler.reset();
        assertThat(header.refCnt() + a.refCnt() + b.refCnt()).isZero();
        assertThat(assembler.assembling()).isFalse();
    }

    @Test
    void heartbeatsAreNotCommands() {
        assertThat(assembler.accept(HeartbeatFrame.INSTANCE)).isNull();
    }

    private static HeaderFrame header(long bodySize) {
        ByteBuf properties = Unpooled.buffer();
        BasicProperties.EMPTY.encode(properties);
        return new HeaderFrame(1, 60, bodySize, properties);
    }

    private static BodyFrame body(String text) {
        return new BodyFrame(1, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }
}
