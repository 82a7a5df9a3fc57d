package io.warren.server.registry;

import io.warren.server.config.Policy;
import io.warren.server.durable.PolicyRecords.PolicySet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What makes a definition acceptable before it is logged: names, limits and regular expressions, with the reason a
 * bad one is refused. Pure; any thread.
 */
final class DefinitionRules {
  private DefinitionRules() {
  }

  static void requireName(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidDefinitionException(kind + " name must not be empty");
    }
    if (name.length() > 255) {
      throw new InvalidDefinitionException(kind + " name is longer than 255 characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidDefinitionException(kind + " name contains a control character");
    }
  }

  static void requireLimit(String name, int value) {
    if (value < -1) {
      throw new InvalidDefinitionException(name + " must be a non-negative integer or -1 (no limit), got " + value);
    }
  }

  static Pattern compile(String regex) {
    if (regex == null) {
      throw new InvalidDefinitionException("a permission pattern is missing");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidDefinitionException("'" + regex + "' is not a valid regular expression: "
          + e.getDescription());
    }
  }

  /** The policy a logged (so already validated) record describes. */
  static Policy toPolicy(PolicySet p) {
    return new Policy(p.vhost(), p.name(), Pattern.compile(p.pattern()), Policy.ApplyTo.of(p.applyTo()), p.priority(),
        p.definition());
  }
}
