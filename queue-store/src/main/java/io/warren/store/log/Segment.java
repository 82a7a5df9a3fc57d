package io.warren.store.log;

import io.netty.buffer.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file, holding log bytes [base, base + end). Named by its base position, zero-padded to 20
 * digits so that names sort like positions: {@code 00000000000067108864.log}. Reads from any thread;
 * writing, truncating and deleting only on the log's writer thread (or in recovery, before it starts).
 *
 * <p>Reads and writes use separate channels because a FileChannel is closed when a thread blocked in it
 * is interrupted: an interrupted reader must cost that reader its read, not the writer its file. A
 * read channel closed that way is reopened by the next read.
 */
final class Segment {

    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.log");
    private static final long[] NO_HOLES = {};

    final long base;
    final Path file;
    private FileChannel writeChannel;
    private volatile FileChannel readChannel;
    /** Offset just past the last byte that belongs to the log (holes included). */
    private volatile long end;
    /** [start, end) offset pairs that recovery found damaged, sorted; readers skip them. */
    private volatile long[] holes = NO_HOLES;
    /** Set once the segment is closed or deleted: a late reader must fail, not reopen the file. */
    private volatile String retired;

    private Segment(long base, Path file, long end) {
        this.base = base;
        this.file = file;
        this.end = end;
    }

    static String fileName(long base) {
        return String.format("%020d.log", base);
    }

    /** The base position a file name encodes, or -1 when it is not a segment's name. */
    static long baseOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException tooBig) {
            return -1;
        }
    }

    /** A new, empty segment; with {@code preallocateBytes > 0} its file is that many zeros, fsynced. */
    static Segment create(Path dir, long base, long preallocateBytes) throws IOException {
        Path file = dir.resolve(fileName(base));
        // CREATE_NEW: a leftover file with this name would mean a bookkeeping bug; never overwrite data.
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            if (preallocateBytes > 0) {
                ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(1 << 20, preallocateBytes));
                for (long at = 0; at < preallocateBytes; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), preallocateBytes - at));
                    at += ch.write(zeros, at);
                }
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        Segment segment = new Segment(base, file, 0);
        segment.writeChannel = ch;
        return segment;
    }

    /** An existing file; recovery sets its end and holes after scanning it. */
    static Segment existing(Path file, long base) {
        return new Segment(base, file, 0);
    }

    long end() {
        return end;
    }

    void end(long offset) {
        end = offset;
    }

    void holes(long[] pairs) {
        holes = pairs.clone();
    }

    /** The end of the damaged range containing {@code offset}, or -1 when the offset is not in one. */
    long holeEnd(long offset) {
        long[] h = holes;
        for (int i = 0; i < h.length; i += 2) {
            if (offset >= h[i] && offset < h[i + 1]) {
                return h[i + 1];
            }
        }
        return -1;
    }

    /** True when {@code offset} is where a damaged range starts: a boundary the log may be cut at. */
    boolean holeStartsAt(long offset) {
        long[] h = holes;
        for (int i = 0; i < h.length; i += 2) {
            if (h[i] == offset) {
                return true;
            }
        }
        return false;
    }

    long fileSize() throws IOException {
        return Files.size(file);
    }

    /** The write channel, positioned at the end. Writer thread only. */
    FileChannel writer() throws IOException {
        if (writeChannel == null) {
            writeChannel = FileChannel.open(file, StandardOpenOption.WRITE);
            writeChannel.position(end);
        }
        return writeChannel;
    }

    /** Makes the written bytes durable; fdatasync, as the size is all the metadata a reader needs. */
    void force() throws IOException {
        if (writeChannel != null) {
            writeChannel.force(false);
        }
    }

    /** Cuts the file (and the log) at {@code offset}; later writes continue from there. Writer thread only. */
    void truncate(long offset) throws IOException {
        FileChannel ch = writer();
        ch.truncate(offset);
        ch.position(offset);
        end = offset;
        long[] h = holes;
        int keep = 0;
        while (keep < h.length && h[keep] < offset) {
            keep += 2;
        }
        long[] kept = Arrays.copyOf(h, keep);
        if (keep > 0 && kept[keep - 1] > offset) {
            kept[keep - 1] = offset;
        }
        holes = kept;
    }

    /** Drops preallocated zeros past the end once the segment is full: only the last segment may have them. */
    void trimToEnd() throws IOException {
        if (writer().size() > end) {
            writeChannel.truncate(end);
        }
    }

    /** Maps the whole file read-only, for recovery's scan. */
    MappedByteBuffer map(long size) throws IOException {
        return readChannel().map(FileChannel.MapMode.READ_ONLY, 0, size);
    }

    /** Appends {@code length} bytes read at {@code offset} to {@code dst}. Any thread. */
    void readFully(ByteBuf dst, long offset, int length) throws IOException {
        dst.ensureWritable(length);
        ByteBuffer target = dst.nioBuffer(dst.writerIndex(), length);
        int retries = 0;
        while (target.hasRemaining()) {
            FileChannel ch = readChannel();
            int n;
            try {
                n = ch.read(target, offset + target.position());
            } catch (ClosedChannelException e) {
                // Closed under us by another reader's interrupt (reopen and go on) or by our own (give up).
                if (retired != null) {
                    throw retiredError();
                }
                if (e instanceof ClosedByInterruptException || ++retries > 3) {
                    throw e;
                }
                continue;
            }
            if (n < 0) {
                throw new EOFException(file + " ends before offset " + (offset + length));
            }
        }
        dst.writerIndex(dst.writerIndex() + length);
    }

    private FileChannel readChannel() throws IOException {
        FileChannel ch = readChannel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            if (retired != null) {
                throw retiredError();
            }
            ch = readChannel;
            if (ch == null || !ch.isOpen()) {
                ch = FileChannel.open(file, StandardOpenOption.READ);
                readChannel = ch;
            }
            return ch;
        }
    }

    /** Releases the write channel of a segment that will not be written again. Writer thread only. */
    void closeWriter() throws IOException {
        if (writeChannel != null) {
            writeChannel.close();
            writeChannel = null;
        }
    }

    private IOException retiredError() {
        return new NoSuchFileException(file.toString(), null, "log segment " + retired);
    }

    void close() throws IOException {
        retire("closed");
        closeWriter();
        synchronized (this) {
            FileChannel ch = readChannel;
            readChannel = null;
            if (ch != null) {
                ch.close();
            }
        }
    }

    private synchronized void retire(String why) {
        if (retired == null) {
            retired = why;
        }
    }

    void delete() throws IOException {
        retire("deleted");
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
