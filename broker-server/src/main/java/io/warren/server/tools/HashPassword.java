package io.warren.server.tools;

import io.warren.server.auth.PasswordHash;

/** Prints a password-hash for conf/warren.conf: {@code bin/warren hash-password PASSWORD}. */
public final class HashPassword {
  private HashPassword() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: bin/warren hash-password PASSWORD");
      System.exit(2);
    }
    System.out.println(PasswordHash.of(args[0]).encoded());
  }
}
