package io.warren.store.durable;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The vhost and queue names of a log replay, decoded once each: a log holds the same few names in every record, and
 * decoding them anew for each of millions of records was the largest part of reading it back. An open-addressing
 * table of the names seen, keyed by their UTF-8 bytes, compared in place in the record's buffer. Confined to the
 * thread running the replay.
 */
final class RecordNames {
    private static final int CAPACITY = 1024; // a power of two; past MAX names, a name is decoded without caching
    private static final int MAX = CAPACITY / 2;

    private final byte[][] keys = new byte[CAPACITY][];
    private final String[] names = new String[CAPACITY];
    private int count;

    /** Reads a length-prefixed (unsigned short) UTF-8 string, as {@code StoreRecords} writes names. */
    String read(ByteBuf in) {
        int n = in.readUnsignedShort();
        if (n > in.readableBytes()) {
            throw new IllegalArgumentException("string length " + n + " out of range");
        }
        int at = in.readerIndex();
        int hash = 1;
        for (int i = 0; i < n; i++) {
            hash = 31 * hash + in.getByte(at + i);
        }
        int slot = (hash ^ (hash >>> 16)) & (CAPACITY - 1);
        while (keys[slot] != null) {
            if (same(keys[slot], in, at, n)) {
                in.skipBytes(n);
                return names[slot];
            }
            slot = (slot + 1) & (CAPACITY - 1);
        }
        String name = in.toString(at, n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        if (count < MAX) {
            byte[] key = new byte[n];
            in.getBytes(at, key);
            keys[slot] = key;
            names[slot] = name;
            count++;
        }
        return name;
    }

    private static boolean same(byte[] key, ByteBuf in, int at, int n) {
        if (key.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (key[i] != in.getByte(at + i)) {
                return false;
            }
        }
        return true;
    }

    /** Skips a length-prefixed string without decoding it. */
    static void skip(ByteBuf in) {
        int n = in.readUnsignedShort();
        if (n > in.readableBytes()) {
            throw new IllegalArgumentException("string length " + n + " out of range");
        }
        in.skipBytes(n);
    }
}
