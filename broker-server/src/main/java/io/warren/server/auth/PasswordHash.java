package io.warren.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted SHA-256 password hash in RabbitMQ's rabbit_password_hashing_sha256 layout: base64 of a 4-byte salt followed
 * by SHA-256(salt ++ UTF-8 password). Keeping RabbitMQ's layout lets users move their hashes over. Immutable; any thread.
 */
public record PasswordHash(byte[] salt, byte[] digest) {
  private static final int SALT_LENGTH = 4;
  private static final int DIGEST_LENGTH = 32;

  public PasswordHash {
    if (salt.length != SALT_LENGTH || digest.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException("password hash must be 4 salt bytes + 32 SHA-256 bytes");
    }
    salt = salt.clone();
    digest = digest.clone();
  }

  public static PasswordHash parse(String base64) {
    byte[] all;
    try {
      all = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("password-hash is not base64", e);
    }
    if (all.length != SALT_LENGTH + DIGEST_LENGTH) {
      throw new IllegalArgumentException("password-hash must decode to 36 bytes (salt + SHA-256), got " + all.length);
    }
    return new PasswordHash(Arrays.copyOf(all, SALT_LENGTH), Arrays.copyOfRange(all, SALT_LENGTH, all.length));
  }

  public static PasswordHash of(String password) {
    byte[] salt = new byte[SALT_LENGTH];
    new SecureRandom().nextBytes(salt);
    return new PasswordHash(salt, sha256(salt, password));
  }

  public boolean matches(String password) {
    return MessageDigest.isEqual(digest, sha256(salt, password));
  }

  public String encoded() {
    byte[] all = Arrays.copyOf(salt, SALT_LENGTH + DIGEST_LENGTH);
    System.arraycopy(digest, 0, all, SALT_LENGTH, DIGEST_LENGTH);
    return Base64.getEncoder().encodeToString(all);
  }

  private static byte[] sha256(byte[] salt, String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      md.update(password.getBytes(StandardCharsets.UTF_8));
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p && Arrays.equals(salt, p.salt) && Arrays.equals(digest, p.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "PasswordHash[sha256]";
  }
}
