package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * One AMQP 0-9-1 method. The implementations are the generated records in
 * {@code io.warren.amqp.generated}; {@code Methods.decode} turns a method-frame payload into one.
 * Implementations are immutable: safe on any thread.
 */
public interface AmqpMethod {

    /** The class index, e.g. 60 for basic. */
    int classId();

    /** The method index within its class, e.g. 40 for basic.publish. */
    int methodId();

    /** The spec name, e.g. {@code "basic.publish"}; used in logs and reply texts. */
    String amqpName();

    /** Whether a content header and body frames follow this method (basic.publish, deliver...). */
    boolean hasContent();

    /** Writes the arguments (without class and method id), reserved fields as zero/empty. */
    void encodeArguments(ByteBuf out);
}
