package io.warren.routing;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * How RabbitMQ sees field-table values: their AMQP type names, Erlang's {@code ==} between them, and
 * the way its error texts print them. The amqp-protocol value types (LongString, ByteArray,
 * UnsignedInt...) are not visible to this module, so they are recognised by simple class name.
 * Stateless; any thread.
 */
final class FieldValues {

    private FieldValues() {
    }

    /** True for an AMQP longstr: a String (or other CharSequence) or amqp-protocol's LongString. */
    static boolean isLongString(Object value) {
        return value instanceof CharSequence || value != null && value.getClass().getSimpleName().equals("LongString");
    }

    /** The type name RabbitMQ prints for a value: 'longstr', 'signedint', 'bool'... */
    static String typeName(Object value) {
        if (value == null) return "void";
        if (isLongString(value)) return "longstr";
        if (value instanceof Boolean) return "bool";
        if (value instanceof Byte) return "byte";
        if (value instanceof Short) return "short";
        if (value instanceof Integer) return "signedint";
        if (value instanceof Long || value instanceof BigInteger) return "long";
        if (value instanceof Float) return "float";
        if (value instanceof Double) return "double";
        if (value instanceof BigDecimal) return "decimal";
        if (value instanceof Date) return "timestamp";
        if (value instanceof List) return "array";
        if (value instanceof Map) return "table";
        if (value instanceof byte[]) return "binary";
        return switch (value.getClass().getSimpleName()) {
            case "UnsignedByte" -> "unsignedbyte";
            case "UnsignedShort" -> "unsignedshort";
            case "UnsignedInt" -> "unsignedint";
            case "Timestamp" -> "timestamp";
            case "ByteArray" -> "binary";
            default -> value.getClass().getSimpleName();
        };
    }

    /**
     * Long strings and byte arrays ('S' and 'x') are both Erlang binaries in RabbitMQ, so a headers binding on one
     * matches a header of the other with the same bytes.
     */
    private static boolean isBinary(Object value) {
        return isLongString(value) || value instanceof byte[] || value.getClass().getSimpleName().equals("ByteArray");
    }

    private static byte[] bytesOf(Object value) {
        if (value instanceof byte[] bytes) return bytes;
        if (value instanceof CharSequence text) return text.toString().getBytes(StandardCharsets.UTF_8);
        return BYTES.get(value.getClass()).apply(value);
    }

    /** LongString.toByteArray() and ByteArray.bytes(), found once per class: this module cannot name them. */
    private static final ClassValue<Function<Object, byte[]>> BYTES = new ClassValue<>() {
        @Override
        protected Function<Object, byte[]> computeValue(Class<?> type) {
            for (String name : new String[] {"toByteArray", "bytes"}) {
                try {
                    Method m = type.getMethod(name);
                    if (m.getReturnType() == byte[].class) {
                        return v -> {
                            try {
                                return (byte[]) m.invoke(v);
                            } catch (ReflectiveOperationException e) {
                                throw new IllegalStateException(e);
                            }
                        };
                    }
                } catch (NoSuchMethodException e) {
                    // try the next name
                }
            }
            return v -> v.toString().getBytes(StandardCharsets.UTF_8);
        }
    };

    /**
     * Erlang's {@code ==} on field values, which the headers exchange uses: numbers compare by value
     * whatever their width (1 == 1L == 1.0), strings by content whatever their Java type.
     */
    static boolean equivalent(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a.equals(b)) return true;
        if (isLongString(a) && isLongString(b)) return a.toString().equals(b.toString());
        if (isBinary(a) && isBinary(b)) return Arrays.equals(bytesOf(a), bytesOf(b));
        if (isPlainNumber(a) && isPlainNumber(b)) {
            Number x = (Number) a;
            Number y = (Number) b;
            if (isIntegral(x) && isIntegral(y)) return toBigInteger(x).equals(toBigInteger(y));
            return x.doubleValue() == y.doubleValue();
        }
        return false;
    }

    /** True when both values have the same type class and are equal, as rabbit_misc:assert_args_equivalence. */
    static boolean sameTypeClassAndValue(Object a, Object b) {
        if (a == null || b == null) return a == b;
        return typeClass(a).equals(typeClass(b)) && equivalent(a, b);
    }

    /** RabbitMQ's rendering of an argument in an "inequivalent arg" text (rabbit_misc:val/1). */
    static String describeArgument(Object value, boolean present) {
        if (!present) return "none";
        return "the value '" + print(value) + "' of type '" + typeName(value) + "'";
    }

    /** A value as Erlang's ~ts/~tp would print it, near enough for error texts. */
    static String print(Object value) {
        if (value == null) return "undefined";
        if (isLongString(value)) return value.toString();
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) sb.append(i == 0 ? "" : ",").append(print(list.get(i)));
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** Erlang's ~tp of a longstr, used by the headers exchange's x-match error: {@code <<"foo">>}. */
    static String printBinary(Object value) {
        return "<<\"" + value + "\">>";
    }

    private static String typeClass(Object value) {
        String type = typeName(value);
        return switch (type) {
            case "byte", "short", "signedint", "long", "unsignedbyte", "unsignedshort", "unsignedint" -> "int";
            case "float", "double" -> "float";
            default -> type;
        };
    }

    private static boolean isPlainNumber(Object value) {
        return value instanceof Number && !(value instanceof BigDecimal);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long
                || n instanceof BigInteger;
    }

    private static BigInteger toBigInteger(Number n) {
        return n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue());
    }
}
