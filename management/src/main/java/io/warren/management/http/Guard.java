package io.warren.management.http;

import io.warren.management.spi.Principal;

/**
 * Who may call a route, by RabbitMQ's user tags: NONE needs no login; USER any management tag; the others their
 * tag (administrator passes all). Vhost-level checks happen in the routes.
 */
public enum Guard {
  NONE, USER, MONITORING, POLICYMAKER, ADMINISTRATOR;

  public boolean allows(Principal p) {
    return switch (this) {
      case NONE -> true;
      case USER -> p.mayUseManagement();
      case MONITORING -> p.monitor();
      case POLICYMAKER -> p.policymaker();
      case ADMINISTRATOR -> p.administrator();
    };
  }
}
