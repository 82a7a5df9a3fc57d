package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload layouts of the store's log records (big-endian; {@code str} = u16 byte length + UTF-8). The log
 * header (type, CRC...) is the log's; these are the bytes after it.
 *
 * <pre>
 * DEFINITION (1), DEFINITIONS_SNAPSHOT (4): opaque bytes of the server (an AMQP field table)
 * PUBLISH (2): u8 version=2 | u8 priority | i64 arrival | i64 expiresAt | i64 due | str vhost | str exchange
 *              | str routingKey | u16 n | n x str queue | u32 propertiesLength
 *              | properties (raw content-header property flags + list) | body (the rest)
 *              (arrival: epoch ms the broker received it; expiresAt: epoch ms its own expiration ends, Long.MAX_VALUE
 *              for none; due: epoch ms a scheduled message is to be routed, -1 for none. Version 1 lacks the three
 *              i64 and is still read: arrival = when it is read, no expiry, not scheduled.)
 * ACK (3):     u8 version=1 | str vhost | str queue | u32 n | n x i64 publish position
 * DELIVERY (5): u8 version=1 | str vhost | str queue | u32 n | n x i64 event, in the order they happened: a
 *              publish position p when that message went to a consumer that must ack it, ~p (negative) when it came
 *              back to the queue unacked. Recovery derives from them which surviving messages were delivered
 *              (redelivered after a restart) and their delivery counts. A log without them recovers every message
 *              as never delivered, with count 0.
 * EPOCH_START (16): empty; the first record a primary appends in its epoch (the record's epoch tag says which),
 *              so the log's epoch history shows every epoch, even one that appended nothing else
 * </pre>
 * Stateless; any thread.
 */
public final class StoreRecords {
    public static final int DEFINITION = 1;
    public static final int PUBLISH = 2;
    public static final int ACK = 3;
    public static final int DEFINITIONS_SNAPSHOT = 4;
    public static final int DELIVERY = 5;
    public static final int EPOCH_START = 16;

    private static final int VERSION = 1;
    private static final int PUBLISH_VERSION = 2;

    private StoreRecords() {}

    /** A decoded PUBLISH; {@code properties} and {@code body} are slices of the payload (not retained). */
    public record Publish(int priority, long arrival, long expiresAt, long due, String vhost, String exchange,
                          String routingKey, List<String> queues, ByteBuf properties, ByteBuf body) {}

    /** A decoded DELIVERY: {@code events} holds p (delivered) or ~p (returned), in order. */
    public record Delivery(String vhost, String queue, long[] events) {}

    /** A decoded ACK. */
    public record Ack(String vhost, String queue, long[] positions) {}

    /** Everything of a PUBLISH before the properties; the caller appends properties and body after it. */
    static ByteBuf publishHead(ByteBufAllocator alloc, int priority, long arrival, long expiresAt, long due,
                               String vhost, String exchange, String routingKey, List<String> queues,
                               int propertiesLength) {
        // sized for the worst case up front: writeUtf8 reserves three bytes a char, and growing a pooled buffer
        // (a second allocation and a copy) was a tenth of the publishing loop's time with persistent messages
        int size = 1 + 1 + 3 * 8 + strMax(vhost) + strMax(exchange) + strMax(routingKey) + 2 + 4;
        for (int i = 0; i < queues.size(); i++) {
            size += strMax(queues.get(i));
        }
        ByteBuf out = alloc.buffer(size);
        out.writeByte(PUBLISH_VERSION).writeByte(priority);
        out.writeLong(arrival).writeLong(expiresAt).writeLong(due);
        writeStr(out, vhost);
        writeStr(out, exchange);
        writeStr(out, routingKey);
        out.writeShort(queues.size());
        for (String q : queues) {
            writeStr(out, q);
        }
        out.writeInt(propertiesLength);
        return out;
    }

    /** The fixed start of a PUBLISH record: its priority and times (records of the first version have no times). */
    private record Stamp(int priority, long arrival, long expiresAt, long due) {
        static Stamp read(ByteBuf in) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != PUBLISH_VERSION) {
                throw new IllegalArgumentException("unknown publish record version " + version);
            }
            int priority = in.readUnsignedByte();
            if (version != PUBLISH_VERSION) {
                return new Stamp(priority, System.currentTimeMillis(), Long.MAX_VALUE, -1);
            }
            return new Stamp(priority, in.readLong(), in.readLong(), in.readLong());
        }
    }

    static Publish decodePublish(ByteBuf in) {
        Stamp t = Stamp.read(in);
        String vhost = readStr(in);
        String exchange = readStr(in);
        String routingKey = readStr(in);
        int n = in.readUnsignedShort();
        List<String> queues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            queues.add(readStr(in));
        }
        int propertiesLength = in.readInt();
        if (propertiesLength < 0 || propertiesLength > in.readableBytes()) {
            throw new IllegalArgumentException("properties length " + propertiesLength + " out of range");
        }
        ByteBuf properties = in.readSlice(propertiesLength);
        return new Publish(t.priority(), t.arrival(), t.expiresAt(), t.due(), vhost, exchange, routingKey,
                List.copyOf(queues), properties, in.readSlice(in.readableBytes()));
    }

    static ByteBuf ack(ByteBufAllocator alloc, String vhost, String queue, long[] positions, int count) {
        ByteBuf out = alloc.buffer(1 + strMax(vhost) + strMax(queue) + 4 + 8 * count);
        out.writeByte(VERSION);
        writeStr(out, vhost);
        writeStr(out, queue);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(positions[i]);
        }
        return out;
    }

    /** A DELIVERY record has the ACK record's layout, with signed events instead of positions. */
    static ByteBuf delivery(ByteBufAllocator alloc, String vhost, String queue, long[] events, int count) {
        return ack(alloc, vhost, queue, events, count);
    }

    static Delivery decodeDelivery(ByteBuf in) {
        Ack a = decodeAck(in);
        return new Delivery(a.vhost(), a.queue(), a.positions());
    }

    static Ack decodeAck(ByteBuf in) {
        checkVersion(in);
        String vhost = readStr(in);
        String queue = readStr(in);
        int n = in.readInt();
        if (n < 0 || (long) n * 8 > in.readableBytes()) {
            throw new IllegalArgumentException("ack count " + n + " out of range");
        }
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            positions[i] = in.readLong();
        }
        return new Ack(vhost, queue, positions);
    }

    private static void checkVersion(ByteBuf in) {
        int v = in.readUnsignedByte();
        if (v != VERSION) {
            throw new IllegalArgumentException("unknown record version " + v);
        }
    }

    /** The most bytes {@link #writeStr} needs for {@code s}, what it reserves before writing. */
    private static int strMax(String s) {
        return 2 + ByteBufUtil.utf8MaxBytes(s);
    }

    private static void writeStr(ByteBuf out, String s) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("name too long: " + n + " bytes");
        }
        out.setShort(lengthAt, n);
    }

    /**
     * What a replay needs of a PUBLISH record: its queues and what they keep of each message, not the exchange, the
     * routing key or the properties (read again from the log when the message is delivered).
     */
    record PublishHead(int priority, long arrival, long expiresAt, long due, String vhost, String[] queues,
                       int bodySize) {}

    /** As {@link #decodePublish}, for a replay: names through {@code names}, the rest of the record skipped. */
    static PublishHead decodePublishHead(ByteBuf in, RecordNames names) {
        Stamp t = Stamp.read(in);
        String vhost = names.read(in);
        RecordNames.skip(in); // exchange
        RecordNames.skip(in); // routing key
        int n = in.readUnsignedShort();
        String[] queues = new String[n];
        for (int i = 0; i < n; i++) {
            queues[i] = names.read(in);
        }
        int propertiesLength = in.readInt();
        if (propertiesLength < 0 || propertiesLength > in.readableBytes()) {
            throw new IllegalArgumentException("properties length " + propertiesLength + " out of range");
        }
        in.skipBytes(propertiesLength);
        return new PublishHead(t.priority(), t.arrival(), t.expiresAt(), t.due(), vhost, queues, in.readableBytes());
    }

    private static String readStr(ByteBuf in) {
        int n = in.readUnsignedShort();
        if (n > in.readableBytes()) {
            throw new IllegalArgumentException("string length " + n + " out of range");
        }
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }
}
