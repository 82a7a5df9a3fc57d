package io.warren.management.spi;

import java.util.List;

/** An authenticated management user with RabbitMQ's user tags. Immutable; any thread. */
public record Principal(String name, List<String> tags) {
  public Principal {
    tags = List.copyOf(tags);
  }

  public boolean is(String tag) {
    return tags.contains(tag);
  }

  public boolean administrator() {
    return is("administrator");
  }

  /** monitoring and administrator see every vhost's objects and the node. */
  public boolean monitor() {
    return administrator() || is("monitoring");
  }

  public boolean policymaker() {
    return administrator() || is("policymaker");
  }

  /** Any of the four management tags lets a user use the HTTP API at all. */
  public boolean mayUseManagement() {
    return monitor() || policymaker() || is("management");
  }
}
