package io.warren.server.auth;

import java.util.List;
import java.util.Objects;

/**
 * A user of the registry. A null password hash means no password login (as a RabbitMQ user without a password).
 * Immutable; any thread.
 */
public record User(String name, PasswordHash passwordHash, List<String> tags, boolean loopbackOnly) {
  public User {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("user name must not be empty");
    }
    tags = List.copyOf(tags);
  }
}
