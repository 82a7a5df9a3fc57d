package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BasicPropertiesTest {

    static final BasicProperties ALL = BasicProperties.builder()
            .contentType("application/json").contentEncoding("gzip")
            .headers(Map.of("x-count", 3, "x-name", LongString.of("n"))).deliveryMode(2).priority(9)
            .correlationId("corr").replyTo("amq.rabbitmq.reply-to").expiration("60000").messageId("m-1")
            .timestamp(1_700_000_000L).type("order.created").userId("guest").appId("app").clusterId("c")
            .build();

    @Test
    void allFourteenRoundTrip() {
        byte[] bytes = encode(ALL);
        assertThat(ByteBufUtil.hexDump(bytes, 0, 2)).isEqualTo("fffc"); // every property flag, no continuation
        assertThat(BasicProperties.decode(Unpooled.wrappedBuffer(bytes))).isEqualTo(ALL);
        assertThat(encode(BasicProperties.decode(Unpooled.wrappedBuffer(bytes)))).isEqualTo(bytes);
        assertThat(ALL.persistent()).isTrue();
    }

    @Test
    void noneSetIsTwoZeroBytes() {
        assertThat(encode(BasicProperties.EMPTY)).containsExactly(0, 0);
        assertThat(BasicProperties.decode(Unpooled.wrappedBuffer(new byte[2]))).isEqualTo(BasicProperties.EMPTY);
        assertThat(BasicProperties.EMPTY.persistent()).isFalse();
    }

    @Property(tries = 300)
    void anySubsetRoundTrips(@ForAll("subsets") int mask) {
        BasicProperties.Builder b = BasicProperties.builder();
        if ((mask & 1) != 0) b.contentType("t");
        if ((mask & 2) != 0) b.contentEncoding("");
        if ((mask & 4) != 0) b.headers(Map.of());
        if ((mask & 8) != 0) b.deliveryMode(1);
        if ((mask & 16) != 0) b.priority(0);
        if ((mask & 32) != 0) b.correlationId("c");
        if ((mask & 64) != 0) b.replyTo("r");
        if ((mask & 128) != 0) b.expiration("1");
        if ((mask & 256) != 0) b.messageId("m");
        if ((mask & 512) != 0) b.timestamp(-1L);
        if ((mask & 1024) != 0) b.type("y");
        if ((mask & 2048) != 0) b.userId("u");
        if ((mask & 4096) != 0) b.appId("a");
        if ((mask & 8192) != 0) b.clusterId("");
        BasicProperties props = b.build();
        assertThat(BasicProperties.decode(Unpooled.wrappedBuffer(encode(props)))).isEqualTo(props);
    }

    @Provide
    Arbitrary<Integer> subsets() {
        return Arbitraries.integers().between(0, (1 << 14) - 1);
    }

    @Test
    void withHeadersReplacesOnlyTheHeaders() {
        BasicProperties changed = ALL.withHeaders(Map.of("x-death", 1));
        assertThat(changed.headers()).isEqualTo(Map.of("x-death", 1));
        assertThat(changed.toBuilder().headers(ALL.headers()).build()).isEqualTo(ALL);
    }

    @Test
    void validatesLikeTheMethodRecords() {
        assertThatThrownBy(() -> BasicProperties.builder().deliveryMode(256).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasicProperties.builder().messageId("x".repeat(256)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messageId");
    }

    @Test
    void garbageIsASyntaxError() {
        assertThatThrownBy(() -> BasicProperties.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80})))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> BasicProperties.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0, 5, 'a'})))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> BasicProperties.decode(Unpooled.wrappedBuffer(new byte[] {0, 0, 1})))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("unexpected bytes");
        byte[] all = encode(ALL);
        for (int length = 0; length < all.length; length++) {
            ByteBuf prefix = Unpooled.wrappedBuffer(all, 0, length);
            assertThatThrownBy(() -> BasicProperties.decode(prefix)).isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void matchesTheRabbitMqClientBothWays() throws Exception {
        AMQP.BasicProperties theirs = new AMQP.BasicProperties("application/json", "gzip",
                Map.of("x-count", 3), 2, 9, "corr", "amq.rabbitmq.reply-to", "60000", "m-1",
                new Date(1_700_000_000_000L), "order.created", "guest", "app", "c");
        byte[] header = theirs.toFrame(1, 0).getPayload();
        byte[] theirBytes = Arrays.copyOfRange(header, 12, header.length); // after class, weight, body size

        BasicProperties ours = BasicProperties.decode(Unpooled.wrappedBuffer(theirBytes));
        assertThat(ours).isEqualTo(ALL.withHeaders(Map.of("x-count", 3)));
        assertThat(encode(ours)).isEqualTo(theirBytes);

        ByteBuf weightSizeAndProperties = Unpooled.buffer().writeShort(0).writeLong(0).writeBytes(encode(ALL));
        AMQP.BasicProperties back = new AMQP.BasicProperties(
                new DataInputStream(new ByteArrayInputStream(ByteBufUtil.getBytes(weightSizeAndProperties))));
        assertThat(back.getAppId()).isEqualTo("app");
        assertThat(back.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(back.getHeaders()).containsEntry("x-count", 3);
        assertThat(back.getHeaders().get("x-name")).hasToString("n");
        assertThat(back.getExpiration()).isEqualTo("60000");
        assertThat(back.getClusterId()).isEqualTo("c");
    }

    static byte[] encode(BasicProperties props) {
        ByteBuf buf = Unpooled.buffer();
        props.encode(buf);
        return ByteBufUtil.getBytes(buf);
    }
}
