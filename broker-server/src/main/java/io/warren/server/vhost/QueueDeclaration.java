package io.warren.server.vhost;

/** The outcome of queue.declare: what declare-ok reports. Immutable; any thread. */
public record QueueDeclaration(DeclaredQueue queue, int messageCount, int consumerCount, boolean created) {}
