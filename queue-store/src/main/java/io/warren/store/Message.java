package io.warren.store;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import java.util.Objects;

/**
 * A published message, shared (never copied) by every queue it was routed to. Thread-safe: immutable
 * apart from its reference count.
 *
 * <p>Ownership: the constructor takes over one reference of each buffer (released when the count reaches
 * 0). Each queue holding the message owns one reference: retain once per target queue before
 * {@link MessageQueue#enqueue}. A queue hands its reference to a no-ack consumer or a no-ack get.
 */
public final class Message extends AbstractReferenceCounted {

    /** {@link #expiresAt()} of a message without an expiration. */
    public static final long NEVER = Long.MAX_VALUE;

    private final long id;
    private final String exchange;
    private final String routingKey;
    private final ByteBuf rawProperties;
    private final ByteBuf body;
    private final boolean persistent;
    private final int priority;
    private final long arrival;
    private final long expiresAt;
    /**
     * Where the transient spill holds this message's copy, shared by every queue that paged it out, or -1; only the
     * spill reads and writes it, holding this message's monitor.
     */
    private long spilledAt = -1;

    /**
     * @param rawProperties content-header property flags and list, passed through unchanged on delivery
     * @param priority 0..255, 0 when the publisher set none
     */
    public Message(long id, String exchange, String routingKey, ByteBuf rawProperties, ByteBuf body,
                   boolean persistent, int priority) {
        this(id, exchange, routingKey, rawProperties, body, persistent, priority, System.currentTimeMillis(), NEVER);
    }

    /**
     * @param arrival when the broker received it (epoch ms): per-queue TTLs of recovered messages count from it
     * @param expiresAt when its own {@code expiration} property makes it expire (epoch ms), {@link #NEVER} if it has
     *     none; a queue's {@code x-message-ttl} may make it expire earlier there
     */
    public Message(long id, String exchange, String routingKey, ByteBuf rawProperties, ByteBuf body,
                   boolean persistent, int priority, long arrival, long expiresAt) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
        this.rawProperties = Objects.requireNonNull(rawProperties, "rawProperties");
        this.body = Objects.requireNonNull(body, "body");
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0..255: " + priority);
        }
        this.id = id;
        this.persistent = persistent;
        this.priority = priority;
        this.arrival = arrival;
        this.expiresAt = expiresAt;
    }

    /** When the broker received the message (epoch ms). */
    public long arrival() {
        return arrival;
    }

    /** When the message's own expiration makes it expire (epoch ms), {@link #NEVER} without one. */
    public long expiresAt() {
        return expiresAt;
    }

    public long id() {
        return id;
    }

    public String exchange() {
        return exchange;
    }

    public String routingKey() {
        return routingKey;
    }

    /** Not retained for the caller: use {@code retainedDuplicate()} to keep it beyond this message's life. */
    public ByteBuf rawProperties() {
        return rawProperties;
    }

    /** Not retained for the caller: use {@code retainedSlice()} to write it to a socket. */
    public ByteBuf body() {
        return body;
    }

    public int bodySize() {
        return body.readableBytes();
    }

    public boolean persistent() {
        return persistent;
    }

    public int priority() {
        return priority;
    }

    /** The spill's position of this message's copy, -1 if it has none (the caller holds this message's monitor). */
    public long spilledAt() {
        return spilledAt;
    }

    /** Records where the spill wrote this message (the caller holds this message's monitor). */
    public void spilledAt(long position) {
        spilledAt = position;
    }

    @Override
    public Message retain() {
        super.retain();
        return this;
    }

    @Override
    public Message retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Message touch() {
        return touch(null);
    }

    @Override
    public Message touch(Object hint) {
        rawProperties.touch(hint);
        body.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        rawProperties.release();
        body.release();
    }

    @Override
    public String toString() {
        return "Message[id=" + id + ", exchange='" + exchange + "', routingKey='" + routingKey
                + "', bodySize=" + body.readableBytes() + ", refCnt=" + refCnt() + "]";
    }
}
