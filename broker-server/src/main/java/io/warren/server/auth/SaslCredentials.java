package io.warren.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A username and password taken from a SASL response. Immutable; any thread. */
public record SaslCredentials(String username, String password) {
  public SaslCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd. Null if the response is not of that form. */
  public static SaslCredentials plain(byte[] response) {
    int first = indexOf(response, 0);
    int second = first < 0 ? -1 : indexOf(response, first + 1);
    if (second < 0 || indexOf(response, second + 1) >= 0) {
      return null;
    }
    String user = new String(response, first + 1, second - first - 1, StandardCharsets.UTF_8);
    String pass = new String(response, second + 1, response.length - second - 1, StandardCharsets.UTF_8);
    return new SaslCredentials(user, pass);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
