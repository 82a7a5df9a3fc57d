package io.warren.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void releasesBothBuffersWhenTheLastReferenceGoes() {
        ByteBuf properties = Unpooled.buffer().writeShort(0);
        ByteBuf body = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        Message message = new Message(7, "x", "k", properties, body, true, 5);
        message.retain(); // a second queue

        assertThat(message.release()).isFalse();
        assertThat(body.refCnt()).isEqualTo(1);
        assertThat(message.release()).isTrue();
        assertThat(body.refCnt()).isZero();
        assertThat(properties.refCnt()).isZero();
        assertThatThrownBy(message::release).isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void exposesWhatWasPublishedWithoutCopying() {
        ByteBuf body = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        Message message = new Message(7, "x", "k", Unpooled.EMPTY_BUFFER, body, true, 5);

        assertThat(message.body()).isSameAs(body);
        assertThat(message.bodySize()).isEqualTo(3);
        assertThat(message.id()).isEqualTo(7);
        assertThat(message.exchange()).isEqualTo("x");
        assertThat(message.routingKey()).isEqualTo("k");
        assertThat(message.persistent()).isTrue();
        assertThat(message.priority()).isEqualTo(5);
        assertThat(message.retain()).isSameAs(message);
        assertThat(message.touch("hint")).isSameAs(message);
        message.release(2);
    }

    @Test
    void rejectsMissingPartsAndBadPriorities() {
        ByteBuf b = Unpooled.EMPTY_BUFFER;
        assertThatThrownBy(() -> new Message(1, null, "k", b, b, false, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Message(1, "", null, b, b, false, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Message(1, "", "k", null, b, false, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Message(1, "", "k", b, null, false, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Message(1, "", "k", b, b, false, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message(1, "", "k", b, b, false, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
