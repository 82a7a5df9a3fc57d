package io.warren.management.api;

import io.warren.management.spi.AdminException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RabbitMQ's rabbit_password_hashing_sha256: base64(salt[4] ++ SHA-256(salt ++ UTF-8 password)). The API hashes a
 * plain password before the broker stores it, so a password never reaches the log. Any thread.
 */
public final class PasswordHashes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {
  }

  public static String hash(String password) {
    byte[] salt = new byte[4];
    RANDOM.nextBytes(salt);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      byte[] digest = md.digest(password.getBytes(StandardCharsets.UTF_8));
      byte[] all = new byte[36];
      System.arraycopy(salt, 0, all, 0, 4);
      System.arraycopy(digest, 0, all, 4, 32);
      return Base64.getEncoder().encodeToString(all);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 400 unless the hash is base64 of 36 bytes. */
  public static void check(String hash) {
    byte[] all;
    try {
      all = Base64.getDecoder().decode(hash);
    } catch (IllegalArgumentException e) {
      throw AdminException.badRequest("password_hash is not base64");
    }
    if (all.length != 36) {
      throw AdminException.badRequest("password_hash must decode to 36 bytes (4 salt bytes + SHA-256)");
    }
  }
}
