package io.warren.store.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordNamesTest {

    private static void write(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    @Test
    void aRepeatedNameIsTheSameStringAndNamesThatCollideStayApart() {
        RecordNames names = new RecordNames();
        ByteBuf in = Unpooled.buffer();
        // "Aa" and "BB" have the same String hash code; "é" checks UTF-8
        for (String s : new String[] {"orders", "Aa", "BB", "orders", "", "é-queue", "BB", "Aa", "é-queue"}) {
            write(in, s);
        }
        String orders = names.read(in);
        assertThat(names.read(in)).isEqualTo("Aa");
        assertThat(names.read(in)).isEqualTo("BB");
        assertThat(names.read(in)).isSameAs(orders);
        assertThat(names.read(in)).isEmpty();
        assertThat(names.read(in)).isEqualTo("é-queue");
        assertThat(names.read(in)).isEqualTo("BB");
        assertThat(names.read(in)).isEqualTo("Aa");
        assertThat(names.read(in)).isEqualTo("é-queue");
        assertThat(in.readableBytes()).isZero();
    }

    @Test
    void manyDistinctNamesAllReadBackAndALengthPastTheEndIsRefused() {
        RecordNames names = new RecordNames();
        ByteBuf in = Unpooled.buffer();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3000; i++) { // past the table's capacity: later names are decoded without caching
                write(in, "q-" + i);
            }
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3000; i++) {
                assertThat(names.read(in)).isEqualTo("q-" + i);
            }
        }
        ByteBuf bad = Unpooled.buffer().writeShort(10).writeByte('x');
        assertThatThrownBy(() -> names.read(bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
