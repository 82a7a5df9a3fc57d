package io.warren.management.spi;

import java.util.List;

/** A virtual host's definition. Immutable. */
public record VhostInfo(String name, String description, List<String> tags, String defaultQueueType) {
  public VhostInfo {
    description = description == null ? "" : description;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public static VhostInfo named(String name) {
    return new VhostInfo(name, "", List.of(), null);
  }
}
