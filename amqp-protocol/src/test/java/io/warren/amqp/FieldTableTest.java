package io.warren.amqp;

import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldTableTest {

    @Property(tries = 500)
    void encodeThenDecodeIsIdentityAndByteExact(@ForAll("tables") Map<String, Object> table) {
        byte[] bytes = encode(table);
        Map<String, Object> decoded = FieldTable.decode(Unpooled.wrappedBuffer(bytes));
        assertThat(decoded).isEqualTo(table);
        assertThat(encode(decoded)).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void garbageGivesOnlySyntaxErrors(@ForAll byte[] garbage) {
        ByteBuf in = Unpooled.buffer().writeInt(garbage.length).writeBytes(garbage);
        try {
            FieldTable.decode(in);
        } catch (MalformedFrameException expected) {
            assertThat(expected.replyCode()).isEqualTo(502);
        }
    }

    @Test
    void everyValueTypeHasItsTag() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("t", true);
        table.put("b", (byte) -1);
        table.put("B", new UnsignedByte(255));
        table.put("s", (short) -2);
        table.put("u", new UnsignedShort(65535));
        table.put("I", -3);
        table.put("i", new UnsignedInt(4_000_000_000L));
        table.put("l", -4L);
        table.put("f", 1.5f);
        table.put("d", 2.5d);
        table.put("D", new BigDecimal("-1.25"));
        table.put("S", LongString.of("é"));
        table.put("x", new ByteArray(new byte[] {1, 2}));
        table.put("A", List.of(1, LongString.of("a")));
        table.put("T", new Timestamp(1_700_000_000L));
        table.put("F", Map.of("k", LongString.of("v")));
        table.put("V", null);
        for (Map.Entry<String, Object> e : table.entrySet()) {
            Map<String, Object> single = new LinkedHashMap<>();
            single.put(e.getKey(), e.getValue());
            byte[] bytes = encode(single);
            assertThat((char) bytes[4 + 1 + 1]).as("tag of %s", e.getValue()).isEqualTo(e.getKey().charAt(0));
        }
        assertThat(FieldTable.decode(Unpooled.wrappedBuffer(encode(table)))).isEqualTo(table);
    }

    @Test
    void convenienceTypesEncodeAsTheirAmqpTypes() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("string", "é");
        table.put("bytes", new byte[] {7});
        table.put("date", new Date(1_700_000_000_999L));
        table.put("instant", Instant.ofEpochSecond(42, 5));
        table.put("objects", new Object[] {1, null});
        Map<String, Object> decoded = FieldTable.decode(Unpooled.wrappedBuffer(encode(table)));
        assertThat(decoded).containsEntry("string", LongString.of("é"))
                .containsEntry("bytes", new ByteArray(new byte[] {7}))
                .containsEntry("date", new Timestamp(1_700_000_000L))
                .containsEntry("instant", new Timestamp(42))
                .containsEntry("objects", Arrays.asList(1, null));
    }

    @Test
    void immutableCopiesForeignMapsButNotDecodedTables() {
        Map<String, Object> mutable = new LinkedHashMap<>(Map.of("a", 1));
        Map<String, Object> copy = FieldTable.immutable(Collections.unmodifiableMap(mutable));
        mutable.put("b", 2);
        assertThat(copy).containsOnlyKeys("a");
        assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
        Map<String, Object> decoded = FieldTable.decode(Unpooled.wrappedBuffer(encode(Map.of("a", 1))));
        assertThat(FieldTable.immutable(decoded)).isSameAs(decoded);
        assertThat(FieldTable.immutable(null)).isEmpty();
    }

    @Test
    void unsupportedValuesAndDecimalsAreRejected() {
        assertThatThrownBy(() -> encode(Map.of("k", new Object()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> encode(Map.of("k", new BigDecimal("1E+3")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(Map.of("k", new BigDecimal("12345678901")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(Map.of("x".repeat(256), 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostileInputIsASyntaxError() {
        ByteBuf unknownType = Unpooled.buffer().writeInt(3).writeByte(1).writeByte('k').writeByte('Z');
        assertThatThrownBy(() -> FieldTable.decode(unknownType)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("0x5a");
        ByteBuf lengthTooLong = Unpooled.buffer().writeInt(-1).writeByte(0);
        assertThatThrownBy(() -> FieldTable.decode(lengthTooLong)).isInstanceOf(MalformedFrameException.class);
        ByteBuf deep = Unpooled.buffer().writeInt(0);
        for (int i = 0; i < 1000; i++) { // would overflow the stack without a depth limit
            ByteBuf outer = Unpooled.buffer().writeInt(deep.readableBytes() + 3).writeByte(1).writeByte('k').writeByte('F');
            deep = outer.writeBytes(deep);
        }
        ByteBuf hostile = deep;
        assertThatThrownBy(() -> FieldTable.decode(hostile)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void decodesWhatTheRabbitMqClientWrites() throws IOException {
        Map<String, Object> theirs = new LinkedHashMap<>();
        theirs.put("S", "text");
        theirs.put("I", 5);
        theirs.put("l", 6L);
        theirs.put("b", (byte) 7);
        theirs.put("s", (short) 8);
        theirs.put("f", 1.5f);
        theirs.put("d", 2.5);
        theirs.put("D", new BigDecimal("3.25"));
        theirs.put("t", true);
        theirs.put("T", new Date(1_000_000_000L));
        theirs.put("x", new byte[] {1, 2, 3});
        theirs.put("A", List.of("a", 1));
        theirs.put("F", Map.of("inner", "v"));
        theirs.put("V", null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ValueWriter(new DataOutputStream(bytes)).writeTable(theirs);

        Map<String, Object> ours = FieldTable.decode(Unpooled.wrappedBuffer(bytes.toByteArray()));

        assertThat(ours).containsEntry("S", LongString.of("text")).containsEntry("I", 5).containsEntry("l", 6L)
                .containsEntry("b", (byte) 7).containsEntry("s", (short) 8).containsEntry("f", 1.5f)
                .containsEntry("d", 2.5).containsEntry("D", new BigDecimal("3.25")).containsEntry("t", true)
                .containsEntry("T", new Timestamp(1_000_000L)).containsEntry("x", new ByteArray(new byte[] {1, 2, 3}))
                .containsEntry("A", List.of(LongString.of("a"), 1))
                .containsEntry("F", Map.of("inner", LongString.of("v"))).containsEntry("V", null);
        assertThat(encode(ours)).isEqualTo(bytes.toByteArray());
    }

    @Test
    void theRabbitMqClientReadsWhatWeWrite() throws IOException {
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("S", LongString.of("text"));
        ours.put("B", new UnsignedByte(200));
        ours.put("u", new UnsignedShort(60000));
        ours.put("i", new UnsignedInt(4_000_000_000L));
        ours.put("T", new Timestamp(1_000_000L));
        ours.put("F", Map.of("list", List.of(true, -1L)));
        Map<String, Object> theirs = new ValueReader(new DataInputStream(new ByteArrayInputStream(encode(ours))))
                .readTable();
        assertThat(theirs.get("S")).hasToString("text");
        assertThat(theirs.get("B")).isEqualTo(200);
        assertThat(theirs.get("u")).isEqualTo(60000);
        assertThat(theirs.get("i")).isEqualTo(4_000_000_000L);
        assertThat(theirs.get("T")).isEqualTo(new Date(1_000_000_000L));
        assertThat(theirs.get("F")).isEqualTo(Map.of("list", List.of(true, -1L)));
    }

    @Provide
    Arbitrary<Map<String, Object>> tables() {
        return table(3);
    }

    private Arbitrary<Map<String, Object>> table(int depth) {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40);
        return Arbitraries.maps(keys, value(depth)).ofMaxSize(depth == 3 ? 8 : 3);
    }

    private Arbitrary<Object> value(int depth) {
        List<Arbitrary<?>> choices = new ArrayList<>(List.of(
                Arbitraries.of(true, false),
                Arbitraries.bytes(), Arbitraries.shorts(), Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.floats(), Arbitraries.doubles(),
                Arbitraries.integers().between(0, 0xFF).map(UnsignedByte::new),
                Arbitraries.integers().between(0, 0xFFFF).map(UnsignedShort::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(UnsignedInt::new),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                        .as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale)),
                Arbitraries.strings().ofMaxLength(30).map(LongString::of),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(ByteArray::new),
                Arbitraries.longs().map(Timestamp::new),
                Arbitraries.just(null)));
        if (depth > 0) {
            choices.add(table(depth - 1));
            choices.add(value(depth - 1).list().ofMaxSize(4));
        }
        @SuppressWarnings("unchecked") Arbitrary<Object>[] all = choices.toArray(new Arbitrary[0]);
        return Arbitraries.oneOf(Arrays.asList(all));
    }

    static byte[] encode(Map<String, ?> table) {
        ByteBuf buf = Unpooled.buffer();
        FieldTable.encode(table, buf);
        return ByteBufUtil.getBytes(buf);
    }
}
