package io.warren.management.api;

import io.warren.management.http.Paths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * RabbitMQ's binding "properties key": "~" for no routing key and no arguments, the routing key encoded as RabbitMQ
 * encodes it (letters, digits, '-', '_' and '.' kept, space as '+', the rest %XX) when there are no arguments, else
 * that, "~" and a short hash of the arguments. It names a binding in a URL
 * (DELETE /api/bindings/{vhost}/e/{source}/q/{queue}/{props}). Pure.
 */
public final class BindingKey {
  private BindingKey() {
  }

  public static String of(String routingKey, Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : quotePlus(routingKey);
    }
    return quotePlus(routingKey) + "~" + argumentsHash(arguments);
  }

  static String quotePlus(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private static String argumentsHash(Map<String, Object> arguments) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(new TreeMap<>(arguments).toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest()).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
