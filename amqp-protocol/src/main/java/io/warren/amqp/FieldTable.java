package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AMQP field tables and arrays, with the value types RabbitMQ uses (not the original 0-9-1 list).
 * Decoding gives unmodifiable, insertion-ordered maps and lists whose values re-encode to the very
 * same bytes: 'B', 'u' and 'i' decode to {@link UnsignedByte}, {@link UnsignedShort},
 * {@link UnsignedInt}; 'S' to {@link LongString}; 'x' to {@link ByteArray}; 'T' to
 * {@link Timestamp}; 'D' to BigDecimal; 'V' to null. Encoding also takes String, byte[], Date,
 * Instant and Object[]. Stateless: safe on any thread.
 */
public final class FieldTable {

    /** Deeper nesting is refused rather than risking a StackOverflowError on hostile input. */
    static final int MAX_DEPTH = 64;

    private FieldTable() {
    }

    /** Reads a length-prefixed table. Throws only {@link MalformedFrameException}, whatever the bytes. */
    public static Map<String, Object> decode(ByteBuf in) {
        try {
            return readTable(in, 0);
        } catch (AmqpProtocolException e) {
            throw e;
        } catch (RuntimeException e) { // IndexOutOfBounds on truncation
            throw new MalformedFrameException("cannot decode field table: " + e.getMessage(), 0, 0, e);
        }
    }

    /** Writes a length-prefixed table; throws IllegalArgumentException for unsupported values. */
    public static void encode(Map<String, ?> table, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Map.Entry<String, ?> e : table.entrySet()) {
            WireFormat.writeShortstr(out, e.getKey());
            writeValue(out, e.getValue(), e.getKey());
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    /**
     * An unmodifiable, order-preserving copy (shallow: nested values are taken as they are); null
     * gives an empty table. Tables from {@link #decode} are immutable already and pass uncopied.
     */
    public static Map<String, Object> immutable(Map<String, ?> table) {
        if (table == null || table.isEmpty()) {
            return Map.of();
        }
        return table instanceof Table t ? t : new Table(new LinkedHashMap<>(table));
    }

    private static Map<String, Object> readTable(ByteBuf in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedFrameException("field table nested deeper than " + MAX_DEPTH);
        }
        int length = WireFormat.readLength(in);
        if (length == 0) {
            return Map.of();
        }
        ByteBuf entries = in.readSlice(length);
        LinkedHashMap<String, Object> table = new LinkedHashMap<>();
        while (entries.isReadable()) {
            String key = WireFormat.readShortstr(entries);
            table.put(key, readValue(entries, depth));
        }
        return new Table(table);
    }

    private static List<Object> readArray(ByteBuf in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedFrameException("field array nested deeper than " + MAX_DEPTH);
        }
        ByteBuf values = in.readSlice(WireFormat.readLength(in));
        List<Object> list = new ArrayList<>();
        while (values.isReadable()) {
            list.add(readValue(values, depth));
        }
        return Collections.unmodifiableList(list);
    }

    private static Object readValue(ByteBuf in, int depth) {
        int type = in.readUnsignedByte();
        switch (type) {
            case 'S': return WireFormat.readLongstr(in);
            case 'I': return in.readInt();
            case 't': return in.readUnsignedByte() != 0;
            case 'F': return readTable(in, depth + 1);
            case 'A': return readArray(in, depth + 1);
            case 'l': return in.readLong();
            case 'b': return in.readByte();
            case 'B': return new UnsignedByte(in.readUnsignedByte());
            case 's': return in.readShort();
            case 'u': return new UnsignedShort(in.readUnsignedShort());
            case 'i': return new UnsignedInt(in.readUnsignedInt());
            case 'f': return in.readFloat();
            case 'd': return in.readDouble();
            case 'D': {
                int scale = in.readUnsignedByte();
                return BigDecimal.valueOf(in.readInt(), scale);
            }
            case 'T': return new Timestamp(in.readLong());
            case 'x': {
                byte[] bytes = new byte[WireFormat.readLength(in)];
                in.readBytes(bytes);
                return new ByteArray(bytes);
            }
            case 'V': return null;
            default:
                throw new MalformedFrameException("unknown field value type 0x" + Integer.toHexString(type));
        }
    }

    private static void writeArray(ByteBuf out, Iterable<?> values, String key) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Object value : values) {
            writeValue(out, value, key);
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    private static void writeValue(ByteBuf out, Object value, String key) {
        if (value instanceof LongString s) {
            out.writeByte('S');
            WireFormat.writeLongstr(out, s);
        } else if (value instanceof String s) {
            out.writeByte('S');
            int lengthIndex = out.writerIndex();
            out.writeInt(0);
            out.setInt(lengthIndex, out.writeCharSequence(s, StandardCharsets.UTF_8));
        } else if (value instanceof Integer i) {
            out.writeByte('I').writeInt(i);
        } else if (value instanceof Boolean b) {
            out.writeByte('t').writeByte(b ? 1 : 0);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte('F');
            encode(castTable(m, key), out);
        } else if (value instanceof List<?> list) {
            out.writeByte('A');
            writeArray(out, list, key);
        } else if (value instanceof Long l) {
            out.writeByte('l').writeLong(l);
        } else if (value == null) {
            out.writeByte('V');
        } else {
            writeRareValue(out, value, key);
        }
    }

    private static void writeRareValue(ByteBuf out, Object value, String key) {
        if (value instanceof Byte b) {
            out.writeByte('b').writeByte(b);
        } else if (value instanceof UnsignedByte b) {
            out.writeByte('B').writeByte(b.value());
        } else if (value instanceof Short s) {
            out.writeByte('s').writeShort(s);
        } else if (value instanceof UnsignedShort s) {
            out.writeByte('u').writeShort(s.value());
        } else if (value instanceof UnsignedInt i) {
            out.writeByte('i').writeInt((int) i.value());
        } else if (value instanceof Float f) {
            out.writeByte('f').writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte('d').writeDouble(d);
        } else if (value instanceof BigDecimal d) {
            writeDecimal(out, d, key);
        } else if (value instanceof Timestamp t) {
            out.writeByte('T').writeLong(t.seconds());
        } else if (value instanceof Date d) {
            out.writeByte('T').writeLong(d.getTime() / 1000);
        } else if (value instanceof Instant i) {
            out.writeByte('T').writeLong(i.getEpochSecond());
        } else if (value instanceof ByteArray a) {
            out.writeByte('x').writeInt(a.length()).writeBytes(a.bytes());
        } else if (value instanceof byte[] a) {
            out.writeByte('x').writeInt(a.length).writeBytes(a);
        } else if (value instanceof Object[] a) {
            out.writeByte('A');
            writeArray(out, Arrays.asList(a), key);
        } else {
            throw new IllegalArgumentException("unsupported field table value of type "
                    + value.getClass().getName() + " for key '" + key + "'");
        }
    }

    private static void writeDecimal(ByteBuf out, BigDecimal d, String key) {
        if (d.scale() < 0 || d.scale() > 0xFF || d.unscaledValue().bitLength() > 31) {
            throw new IllegalArgumentException("decimal " + d + " for key '" + key
                    + "' needs a scale of 0..255 and an unscaled value that fits 32 bits");
        }
        out.writeByte('D').writeByte(d.scale()).writeInt(d.unscaledValue().intValue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castTable(Map<?, ?> m, String key) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException("nested table under '" + key + "' has a non-String key: " + k);
            }
        }
        return (Map<String, ?>) m;
    }

    /** The immutable table type of this class; being ours, it never needs a defensive copy. */
    private static final class Table extends AbstractMap<String, Object> {
        private final Map<String, Object> view;

        Table(LinkedHashMap<String, Object> entries) {
            this.view = Collections.unmodifiableMap(entries);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Object get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }
}
