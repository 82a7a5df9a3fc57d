package io.warren.server.it;

import io.warren.server.Broker;
import io.warren.server.auth.PasswordHash;
import io.warren.server.config.ConfigLoader;
import io.warren.server.registry.Registry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A broker process for crash tests that changes its registry on command: one command per stdin line ("vhost V",
 * "user U PASSWORD", "perm U V CONF WRITE READ", "policy V NAME PATTERN MAX_LENGTH", "vlimit V MAX_CONN MAX_QUEUES",
 * "delete-vhost V"), each answered with "registry-ok N" on stdout once the registry returned (the record is durable).
 * Not a test class itself.
 */
public final class RegistryConsole {
  private RegistryConsole() {}

  public static void main(String[] args) throws Exception {
    Broker broker = Broker.start(ConfigLoader.load(null));
    Registry r = broker.registry();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "vhost" -> r.putVhost(w[1], "", List.of());
          case "user" -> r.putUser(w[1], PasswordHash.of(w[2]), List.of());
          case "perm" -> r.setPermission(w[1], w[2], w[3], w[4], w[5]);
          case "policy" -> r.setPolicy(w[1], w[2], w[3], "queues", 0, Map.of("max-length", Integer.parseInt(w[4])));
          case "vlimit" -> r.setVhostLimits(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
          case "delete-vhost" -> r.deleteVhost(w[1]);
          default -> throw new IllegalArgumentException("unknown command " + w[0]);
        }
        System.out.println("registry-ok " + ++n);
      } catch (RuntimeException e) {
        System.out.println("registry-failed " + ++n + " " + e);
      }
      System.out.flush();
    }
  }
}
