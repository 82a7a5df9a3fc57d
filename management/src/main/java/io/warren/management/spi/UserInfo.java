package io.warren.management.spi;

import java.util.List;

/**
 * A user: its password hash in RabbitMQ's rabbit_password_hashing_sha256 layout (base64 of 4 salt bytes and
 * SHA-256(salt ++ password)), empty for a user that cannot log in with a password, and its tags. Immutable.
 */
public record UserInfo(String name, String passwordHash, List<String> tags) {
  public static final String HASHING_ALGORITHM = "rabbit_password_hashing_sha256";

  public UserInfo {
    passwordHash = passwordHash == null ? "" : passwordHash;
    tags = List.copyOf(tags);
  }
}
