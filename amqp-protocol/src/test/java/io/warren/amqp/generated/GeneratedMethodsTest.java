package io.warren.amqp.generated;

import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.LongString;
import io.warren.amqp.FrameException;
import io.warren.amqp.UnknownMethodException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every generated method, built reflectively with non-default values (and each bit set alone, to
 * catch swapped bit positions), must round-trip through our codec and encode byte for byte as the
 * RabbitMQ Java client does.
 */
class GeneratedMethodsTest {

    static Stream<AmqpMethod> samples() {
        List<AmqpMethod> samples = new ArrayList<>();
        for (Class<? extends AmqpMethod> type : Methods.all()) {
            Object[] base = baseValues(type);
            samples.add(construct(type, base));
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getType() == boolean.class) {
                    Object[] oneBit = base.clone();
                    for (int j = 0; j < oneBit.length; j++) {
                        if (components[j].getType() == boolean.class) {
                            oneBit[j] = i == j;
                        }
                    }
                    samples.add(construct(type, oneBit));
                }
            }
        }
        return samples.stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughOurCodec(AmqpMethod method) {
        byte[] bytes = encode(method);
        AmqpMethod decoded = Methods.decode(Unpooled.wrappedBuffer(bytes));
        assertThat(decoded).isEqualTo(method);
        assertThat(encode(decoded)).isEqualTo(bytes);
        assertThat(Methods.amqpName(method.classId(), method.methodId())).isEqualTo(method.amqpName());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encodesLikeTheRabbitMqClient(AmqpMethod method) throws Exception {
        byte[] ours = encode(method);
        com.rabbitmq.client.impl.Method theirs =
                AMQImpl.readMethodFrom(new DataInputStream(new ByteArrayInputStream(ours)));
        assertThat(theirs.protocolMethodName()).isEqualTo(method.amqpName());
        assertThat(theirs.hasContent()).isEqualTo(method.hasContent());
        assertThat(theirs.toFrame(0).getPayload()).isEqualTo(ours);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationIsAFrameErrorAsInRabbitMq(AmqpMethod method) {
        byte[] bytes = encode(method);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuf prefix = Unpooled.wrappedBuffer(bytes, 0, length);
            assertThatThrownBy(() -> Methods.decode(prefix))
                    .isInstanceOf(FrameException.class)
                    .satisfies(e -> assertThat(((FrameException) e).replyCode()).isEqualTo(501));
        }
    }

    @Test
    void trailingBytesAreAFrameError() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(encode(new BasicAck(7, true))).writeByte(0);
        assertThatThrownBy(() -> Methods.decode(buf))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("basic.ack")
                .satisfies(e -> assertThat(((FrameException) e).classId()).isEqualTo(60));
    }

    @Test
    void unknownMethodIsNotImplemented() {
        ByteBuf buf = Unpooled.buffer().writeShort(60).writeShort(99);
        assertThatThrownBy(() -> Methods.decode(buf))
                .isInstanceOfSatisfying(UnknownMethodException.class, e -> {
                    assertThat(e.replyCode()).isEqualTo(540);
                    assertThat(e.connectionLevel()).isTrue();
                    assertThat(e.methodId()).isEqualTo(99);
                });
    }

    @Test
    void contentMethodsAreExactlyTheFourOfTheSpec() {
        assertThat(samples().filter(AmqpMethod::hasContent).map(AmqpMethod::amqpName).distinct())
                .containsExactlyInAnyOrder("basic.publish", "basic.return", "basic.deliver", "basic.get-ok");
        assertThat(Methods.all()).hasSize(60 + 4); // the spec XML plus the RabbitMQ extensions table
    }

    @Test
    void recordsValidateTheirArguments() {
        assertThat(new BasicPublish("", "é".repeat(127), false, false).routingKey()).hasSize(127);
        assertThatThrownBy(() -> new BasicPublish("", "é".repeat(128), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routingKey");
        assertThatThrownBy(() -> new BasicPublish("x".repeat(256), "", false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exchange");
        assertThatThrownBy(() -> new BasicPublish(null, "", false, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ConnectionTune(65536, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionStart(256, 9, Map.of(), LongString.EMPTY, LongString.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueDeclareOk("q", 1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionSecure(null)).isInstanceOf(NullPointerException.class);
        assertThat(new QueueBind("q", "x", "k", false, null).arguments()).isEmpty();
    }

    @Test
    void decodedTablesAreImmutable() {
        QueueDeclare declare = new QueueDeclare("q", false, true, false, false, false, Map.of("x-max-length", 10));
        QueueDeclare decoded = (QueueDeclare) Methods.decode(Unpooled.wrappedBuffer(encode(declare)));
        assertThatThrownBy(() -> decoded.arguments().put("k", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    static byte[] encode(AmqpMethod method) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(method.classId()).writeShort(method.methodId());
        method.encodeArguments(buf);
        return ByteBufUtil.getBytes(buf);
    }

    /** Non-default values; for ints and longs the widest value the component accepts. */
    private static Object[] baseValues(Class<? extends AmqpMethod> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            Class<?> t = components[i].getType();
            if (t == int.class) {
                values[i] = 1;
            } else if (t == long.class) {
                values[i] = 1L;
            } else if (t == boolean.class) {
                values[i] = true;
            } else if (t == String.class) {
                values[i] = "é-" + name;
            } else if (t == LongString.class) {
                byte[] tail = name.getBytes(StandardCharsets.UTF_8);
                byte[] bytes = Arrays.copyOf(new byte[] {(byte) 0xFF, 0, 'x'}, 3 + tail.length);
                System.arraycopy(tail, 0, bytes, 3, tail.length);
                values[i] = LongString.copyOf(bytes);
            } else if (t == Map.class) {
                values[i] = sampleTable(name);
            } else {
                throw new AssertionError("unexpected component type " + t);
            }
        }
        for (int i = 0; i < components.length; i++) {
            Object[] wide = values.clone();
            if (components[i].getType() == int.class) {
                wide[i] = 65_000;
                values[i] = accepts(type, wide) ? 65_000 : 250;
            } else if (components[i].getType() == long.class) {
                wide[i] = Long.MAX_VALUE - 1;
                values[i] = accepts(type, wide) ? Long.MAX_VALUE - 1 : 4_000_000_000L;
            }
        }
        return values;
    }

    /**
     * Only value types the RabbitMQ client decodes and re-encodes unchanged, and one entry per
     * table: it reads tables into a HashMap, which would reorder several.
     */
    private static Map<String, Object> sampleTable(String name) {
        List<Object> values = List.of(LongString.of(name), -5, true, Long.MIN_VALUE, new BigDecimal("12.34"),
                List.of(), Map.of());
        return Map.of("nested", Map.of("values", values));
    }

    private static boolean accepts(Class<? extends AmqpMethod> type, Object[] values) {
        try {
            construct(type, values);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static AmqpMethod construct(Class<? extends AmqpMethod> type, Object[] values) {
        try {
            Class<?>[] parameterTypes = Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<? extends AmqpMethod> constructor = type.getDeclaredConstructor(parameterTypes);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
