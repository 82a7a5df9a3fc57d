package io.warren.amqp;

import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * The 14 properties of a basic content header, each null when absent. {@link #decode} reads and
 * {@link #encode} writes the property flags and list (the content-header payload after class id,
 * weight and body size). On the publish path the broker passes the raw bytes through untouched
 * and only decodes what routing needs. Immutable: safe on any thread.
 *
 * @param timestamp seconds since the epoch
 * @param clusterId the deprecated cluster-id ("reserved" in the spec), kept for byte-exact round trips
 */
public record BasicProperties(
        String contentType,
        String contentEncoding,
        Map<String, Object> headers,
        Integer deliveryMode,
        Integer priority,
        String correlationId,
        String replyTo,
        String expiration,
        String messageId,
        Long timestamp,
        String type,
        String userId,
        String appId,
        String clusterId) {

    public static final BasicProperties EMPTY = new Builder().build();

    private static final int CONTENT_TYPE = 1 << 15;
    private static final int CONTENT_ENCODING = 1 << 14;
    private static final int HEADERS = 1 << 13;
    private static final int DELIVERY_MODE = 1 << 12;
    private static final int PRIORITY = 1 << 11;
    private static final int CORRELATION_ID = 1 << 10;
    private static final int REPLY_TO = 1 << 9;
    private static final int EXPIRATION = 1 << 8;
    private static final int MESSAGE_ID = 1 << 7;
    private static final int TIMESTAMP = 1 << 6;
    private static final int TYPE = 1 << 5;
    private static final int USER_ID = 1 << 4;
    private static final int APP_ID = 1 << 3;
    private static final int CLUSTER_ID = 1 << 2;
    /** Bit 0 of a flag word says another flag word follows; basic never needs one. */
    private static final int CONTINUATION = 1;

    public BasicProperties {
        checkOptionalShortstr("contentType", contentType);
        checkOptionalShortstr("contentEncoding", contentEncoding);
        headers = headers == null ? null : FieldTable.immutable(headers);
        if (deliveryMode != null) {
            WireFormat.checkOctet("deliveryMode", deliveryMode);
        }
        if (priority != null) {
            WireFormat.checkOctet("priority", priority);
        }
        checkOptionalShortstr("correlationId", correlationId);
        checkOptionalShortstr("replyTo", replyTo);
        checkOptionalShortstr("expiration", expiration);
        checkOptionalShortstr("messageId", messageId);
        checkOptionalShortstr("type", type);
        checkOptionalShortstr("userId", userId);
        checkOptionalShortstr("appId", appId);
        checkOptionalShortstr("clusterId", clusterId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Delivery mode 2 ("persistent"). */
    public boolean persistent() {
        return deliveryMode != null && deliveryMode == 2;
    }

    public BasicProperties withHeaders(Map<String, ?> newHeaders) {
        return toBuilder().headers(newHeaders).build();
    }

    public Builder toBuilder() {
        return new Builder().contentType(contentType).contentEncoding(contentEncoding).headers(headers)
                .deliveryMode(deliveryMode).priority(priority).correlationId(correlationId).replyTo(replyTo)
                .expiration(expiration).messageId(messageId).timestamp(timestamp).type(type).userId(userId)
                .appId(appId).clusterId(clusterId);
    }

    /**
     * Reads property flags and list from {@code in}, consuming it. Throws only
     * {@link MalformedFrameException}, whatever the bytes.
     */
    public static BasicProperties decode(ByteBuf in) {
        try {
            int flags = in.readUnsignedShort();
            for (int more = flags; (more & CONTINUATION) != 0; ) {
                more = in.readUnsignedShort(); // flags no basic property uses: ignored, like RabbitMQ does
            }
            Builder b = new Builder();
            if ((flags & CONTENT_TYPE) != 0) b.contentType(WireFormat.readShortstr(in));
            if ((flags & CONTENT_ENCODING) != 0) b.contentEncoding(WireFormat.readShortstr(in));
            if ((flags & HEADERS) != 0) b.headers(FieldTable.decode(in));
            if ((flags & DELIVERY_MODE) != 0) b.deliveryMode((int) in.readUnsignedByte());
            if ((flags & PRIORITY) != 0) b.priority((int) in.readUnsignedByte());
            if ((flags & CORRELATION_ID) != 0) b.correlationId(WireFormat.readShortstr(in));
            if ((flags & REPLY_TO) != 0) b.replyTo(WireFormat.readShortstr(in));
            if ((flags & EXPIRATION) != 0) b.expiration(WireFormat.readShortstr(in));
            if ((flags & MESSAGE_ID) != 0) b.messageId(WireFormat.readShortstr(in));
            if ((flags & TIMESTAMP) != 0) b.timestamp(in.readLong());
            if ((flags & TYPE) != 0) b.type(WireFormat.readShortstr(in));
            if ((flags & USER_ID) != 0) b.userId(WireFormat.readShortstr(in));
            if ((flags & APP_ID) != 0) b.appId(WireFormat.readShortstr(in));
            if ((flags & CLUSTER_ID) != 0) b.clusterId(WireFormat.readShortstr(in));
            if (in.isReadable()) {
                throw new MalformedFrameException(in.readableBytes() + " unexpected bytes after the basic properties");
            }
            return b.build();
        } catch (AmqpProtocolException e) {
            throw e;
        } catch (RuntimeException e) { // IndexOutOfBounds on truncation, IllegalArgument from a check
            throw new MalformedFrameException("cannot decode basic properties: " + e.getMessage(), 60, 0, e);
        }
    }

    /** Writes property flags and list. */
    public void encode(ByteBuf out) {
        int flagsIndex = out.writerIndex();
        out.writeShort(0);
        int flags = 0;
        if (contentType != null) flags |= shortstr(out, CONTENT_TYPE, contentType);
        if (contentEncoding != null) flags |= shortstr(out, CONTENT_ENCODING, contentEncoding);
        if (headers != null) {
            FieldTable.encode(headers, out);
            flags |= HEADERS;
        }
        if (deliveryMode != null) {
            out.writeByte(deliveryMode);
            flags |= DELIVERY_MODE;
        }
        if (priority != null) {
            out.writeByte(priority);
            flags |= PRIORITY;
        }
        if (correlationId != null) flags |= shortstr(out, CORRELATION_ID, correlationId);
        if (replyTo != null) flags |= shortstr(out, REPLY_TO, replyTo);
        if (expiration != null) flags |= shortstr(out, EXPIRATION, expiration);
        if (messageId != null) flags |= shortstr(out, MESSAGE_ID, messageId);
        if (timestamp != null) {
            out.writeLong(timestamp);
            flags |= TIMESTAMP;
        }
        if (type != null) flags |= shortstr(out, TYPE, type);
        if (userId != null) flags |= shortstr(out, USER_ID, userId);
        if (appId != null) flags |= shortstr(out, APP_ID, appId);
        if (clusterId != null) flags |= shortstr(out, CLUSTER_ID, clusterId);
        out.setShort(flagsIndex, flags);
    }

    private static int shortstr(ByteBuf out, int flag, String value) {
        WireFormat.writeShortstr(out, value);
        return flag;
    }

    private static void checkOptionalShortstr(String field, String value) {
        if (value != null) {
            WireFormat.checkShortstr(field, value);
        }
    }

    /** Mutable builder: confined to the thread using it. */
    public static final class Builder {
        private String contentType;
        private String contentEncoding;
        private Map<String, ?> headers;
        private Integer deliveryMode;
        private Integer priority;
        private String correlationId;
        private String replyTo;
        private String expiration;
        private String messageId;
        private Long timestamp;
        private String type;
        private String userId;
        private String appId;
        private String clusterId;

        public Builder contentType(String v) { contentType = v; return this; }
        public Builder contentEncoding(String v) { contentEncoding = v; return this; }
        public Builder headers(Map<String, ?> v) { headers = v; return this; }
        public Builder deliveryMode(Integer v) { deliveryMode = v; return this; }
        public Builder priority(Integer v) { priority = v; return this; }
        public Builder correlationId(String v) { correlationId = v; return this; }
        public Builder replyTo(String v) { replyTo = v; return this; }
        public Builder expiration(String v) { expiration = v; return this; }
        public Builder messageId(String v) { messageId = v; return this; }
        public Builder timestamp(Long v) { timestamp = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder appId(String v) { appId = v; return this; }
        public Builder clusterId(String v) { clusterId = v; return this; }

        @SuppressWarnings("unchecked")
        public BasicProperties build() {
            return new BasicProperties(contentType, contentEncoding, (Map<String, Object>) headers, deliveryMode,
                    priority, correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
        }
    }
}
