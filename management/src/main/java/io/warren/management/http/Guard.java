package io.warren.management.http;

import io.warren.management.spi.Principal;

/**
 * Who may call a route, by RabbitMQ's user tags: NONE needs no login; LOGIN any user whose password checks (the route
 * looks at the tags itself, e.g. to answer 403); USER any management tag; the others their tag (administrator passes
 * all). Vhost-level checks happen in the routes.
 */
public enum Guard {
  NONE, LOGIN, USER, MONITORING, POLICYMAKER, ADMINISTRATOR;

  public boolean allows(Principal p) {
    return switch (this) {
      case NONE, LOGIN -> true;
      case USER -> p.mayUseManagement();
      case MONITORING -> p.monitor();
      case POLICYMAKER -> p.policymaker();
      case ADMINISTRATOR -> p.administrator();
    };
  }
}
