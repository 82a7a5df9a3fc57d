package io.warren.server.auth;

import java.util.List;
import java.util.Objects;

/** A user defined in the configuration. Immutable; any thread. */
public record User(String name, PasswordHash passwordHash, List<String> tags, boolean loopbackOnly) {
  public User {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("user name must not be empty");
    }
    tags = List.copyOf(tags);
  }
}
