package io.warren.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;

/** Messages on pooled buffers, with paranoid leak detection on. Any thread. */
final class TestMessages {

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private TestMessages() {
    }

    static Message message(long id) {
        ByteBuf properties = PooledByteBufAllocator.DEFAULT.buffer(2).writeShort(0);
        ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer();
        body.writeCharSequence("body-" + id, StandardCharsets.UTF_8);
        return new Message(id, "amq.direct", "key", properties, body, false, 0);
    }

    static String bodyOf(Message message) {
        return message.body().toString(StandardCharsets.UTF_8);
    }
}
