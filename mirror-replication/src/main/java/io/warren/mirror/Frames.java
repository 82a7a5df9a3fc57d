package io.warren.mirror;

import io.warren.store.log.EpochHistory;
import io.warren.store.log.LogRecord;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication connection's frames (big-endian; {@code str} = Java modified UTF-8 with a u16 length).
 * Stateless: any thread, one stream per thread.
 *
 * <pre>
 * backup -> primary   HELLO  1 | str pair | str node | i64 logStart | i64 logEnd | u16 n | n x (i32 epoch, i64 start)
 * primary -> backup   START  2 | i32 epoch | u8 mode (0 keep the log below position, 1 empty it to start at position) | i64 position
 * either way          REFUSE 3 | str reason   (then the connection closes)
 * primary -> backup   RECORD 4 | i64 position | u8 type | u8 flags | i32 epoch | i32 crc | i32 length | payload
 * backup -> primary   ACK    5 | i64 durable position (also sent idle, as a heartbeat)
 * primary -> backup   BEAT   6 (sent when idle)
 * primary -> backup   TRIM   7 | i64 below | i64 after  (the primary deleted its segments below {@code below}: the backup
 *                                deletes its own below it once it holds everything before {@code after} durably)
 * </pre>
 * A RECORD carries the log's own header fields and CRC, so the backup checks every shipped record before
 * appending it at the same position.
 */
final class Frames {

    static final int HELLO = 1;
    static final int START = 2;
    static final int REFUSE = 3;
    static final int RECORD = 4;
    static final int ACK = 5;
    static final int BEAT = 6;
    static final int TRIM = 7;
    /** A backup reports at most this many epochs: plenty to find the divergence point. */
    static final int MAX_EPOCHS = 1024;

    private Frames() {
    }

    /** What a backup says about itself when it connects. */
    record Hello(String pair, String node, long logStart, long logEnd, List<EpochHistory.Entry> epochs) {
        Hello {
            epochs = List.copyOf(epochs.size() > MAX_EPOCHS ? epochs.subList(epochs.size() - MAX_EPOCHS, epochs.size()) : epochs);
        }
    }

    /** The primary's answer: where the backup's log must end (mode KEEP) or start afresh (mode RESET). */
    record Start(int epoch, int mode, long position) {
        static final int KEEP = 0;
        static final int RESET = 1;
    }

    static void writeHello(DataOutputStream out, Hello h) throws IOException {
        out.writeByte(HELLO);
        out.writeUTF(h.pair());
        out.writeUTF(h.node());
        out.writeLong(h.logStart());
        out.writeLong(h.logEnd());
        out.writeShort(h.epochs().size());
        for (EpochHistory.Entry e : h.epochs()) {
            out.writeInt(e.epoch());
            out.writeLong(e.start());
        }
        out.flush();
    }

    static Hello readHello(DataInputStream in) throws IOException {
        String pair = in.readUTF();
        String node = in.readUTF();
        long start = in.readLong();
        long end = in.readLong();
        int n = in.readUnsignedShort();
        if (n > MAX_EPOCHS) {
            throw new IOException("HELLO lists " + n + " epochs, more than " + MAX_EPOCHS);
        }
        List<EpochHistory.Entry> epochs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            epochs.add(new EpochHistory.Entry(in.readInt(), in.readLong()));
        }
        return new Hello(pair, node, start, end, epochs);
    }

    static void writeStart(DataOutputStream out, Start s) throws IOException {
        out.writeByte(START);
        out.writeInt(s.epoch());
        out.writeByte(s.mode());
        out.writeLong(s.position());
        out.flush();
    }

    static Start readStart(DataInputStream in) throws IOException {
        int epoch = in.readInt();
        int mode = in.readUnsignedByte();
        if (mode != Start.KEEP && mode != Start.RESET) {
            throw new IOException("unknown START mode " + mode);
        }
        return new Start(epoch, mode, in.readLong());
    }

    static void writeRefuse(DataOutputStream out, String reason) throws IOException {
        out.writeByte(REFUSE);
        out.writeUTF(reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        out.flush();
    }

    /** Writes a RECORD (not flushed: the feed flushes once per burst). */
    static void writeRecord(DataOutputStream out, LogRecord r) throws IOException {
        out.writeByte(RECORD);
        out.writeLong(r.position());
        out.writeByte(r.type());
        out.writeByte(r.flags());
        out.writeInt(r.epoch());
        out.writeInt(r.checksum());
        int length = r.payload().readableBytes();
        out.writeInt(length);
        r.payload().getBytes(r.payload().readerIndex(), out, length);
    }

    static void writeAck(DataOutputStream out, long durable) throws IOException {
        out.writeByte(ACK);
        out.writeLong(durable);
        out.flush();
    }

    /** Writes a TRIM (not flushed: it goes with the next burst or beat). */
    static void writeTrim(DataOutputStream out, long below, long after) throws IOException {
        out.writeByte(TRIM);
        out.writeLong(below);
        out.writeLong(after);
    }

    static void writeBeat(DataOutputStream out) throws IOException {
        out.writeByte(BEAT);
        out.flush();
    }
}
