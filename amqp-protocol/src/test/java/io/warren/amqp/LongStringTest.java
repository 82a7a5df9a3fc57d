package io.warren.amqp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LongStringTest {

    @Test
    void equalityIsByBytes() {
        assertThat(LongString.of("héllo")).isEqualTo(LongString.copyOf("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .hasSameHashCodeAs(LongString.of("héllo"));
        assertThat(LongString.copyOf(new byte[] {(byte) 0xFF})).isNotEqualTo(LongString.of("\uFFFD"));
    }

    @Test
    void isImmutable() {
        byte[] bytes = {1, 2};
        LongString s = LongString.copyOf(bytes);
        bytes[0] = 9;
        s.toByteArray()[1] = 9;
        assertThat(s.toByteArray()).containsExactly(1, 2);
        assertThat(s.length()).isEqualTo(2);
        assertThat(LongString.of("x")).hasToString("x");
    }
}
