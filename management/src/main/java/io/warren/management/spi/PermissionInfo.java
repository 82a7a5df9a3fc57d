package io.warren.management.spi;

/** A user's configure/write/read regular expressions in one vhost. Immutable. */
public record PermissionInfo(String user, String vhost, String configure, String write, String read) {
}
