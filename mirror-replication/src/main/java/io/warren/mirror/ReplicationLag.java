package io.warren.mirror;

/**
 * How far the backup is behind the primary's written log. Immutable.
 *
 * @param records records written on the primary that the backup has not made durable (over by at most one write
 *                batch of the primary)
 * @param bytes   bytes of them
 * @param millis  how long ago the oldest of them was written
 */
public record ReplicationLag(long records, long bytes, long millis) {

    public static final ReplicationLag NONE = new ReplicationLag(0, 0, 0);

    @Override
    public String toString() {
        return records + " records, " + bytes + " bytes, " + millis + " ms";
    }
}
