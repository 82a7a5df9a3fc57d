package io.warren.management.spi;

/** A user's write/read routing-key patterns on one topic exchange of a vhost. Immutable. */
public record TopicPermissionInfo(String user, String vhost, String exchange, String write, String read) {
}
