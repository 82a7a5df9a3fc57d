package io.warren.management.api;

import io.warren.management.http.Paths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * RabbitMQ's binding "properties key": "~" for no routing key and no arguments, the percent-encoded routing key
 * when there are no arguments, else the routing key, "~" and a hash of the arguments. It names a binding in a URL
 * (DELETE /api/bindings/{vhost}/e/{source}/q/{queue}/{props}). Pure.
 */
public final class BindingKey {
  private BindingKey() {
  }

  public static String of(String routingKey, Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : Paths.encode(routingKey);
    }
    return Paths.encode(routingKey) + "~" + argumentsHash(arguments);
  }

  private static String argumentsHash(Map<String, Object> arguments) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(new TreeMap<>(arguments).toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest()).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
