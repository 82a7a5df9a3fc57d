package io.warren.server.admin;

import io.warren.amqp.AmqpProtocolException;
import io.warren.management.spi.AdminException;
import io.warren.routing.RoutingException;
import io.warren.store.QueueException;

/**
 * Turns the broker's AMQP refusals into the HTTP API's: NOT_FOUND → 404, ACCESS_REFUSED → 401 (RabbitMQ's
 * not_authorised), anything else (PRECONDITION_FAILED, RESOURCE_LOCKED, NOT_ALLOWED...) → 400 with the AMQP
 * reply text, as RabbitMQ's API answers. Pure.
 */
final class Failures {
  private Failures() {
  }

  static AdminException of(RuntimeException e) {
    if (e instanceof AdminException a) {
      return a;
    }
    if (e instanceof AmqpProtocolException p) {
      String text = p.replyText();
      return switch (p.code()) {
        case NOT_FOUND -> AdminException.notFound(text);
        case ACCESS_REFUSED -> AdminException.forbidden(text);
        default -> AdminException.badRequest(text);
      };
    }
    if (e instanceof RoutingException r) {
      return switch (r.reason()) {
        case NOT_FOUND -> AdminException.notFound("NOT_FOUND - " + r.text());
        case ACCESS_REFUSED -> AdminException.forbidden("ACCESS_REFUSED - " + r.text());
        default -> AdminException.badRequest(r.reason() + " - " + r.text());
      };
    }
    if (e instanceof QueueException q) {
      return q.reason() == QueueException.Reason.NOT_FOUND ? AdminException.notFound("NOT_FOUND - " + q.getMessage())
          : AdminException.badRequest(q.reason() + " - " + q.getMessage());
    }
    if (e instanceof io.warren.server.registry.NotFoundException) {
      return AdminException.notFound(e.getMessage());
    }
    if (e instanceof io.warren.server.registry.RegistryException) {
      return AdminException.badRequest(e.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return AdminException.badRequest(e.getMessage());
    }
    throw e;
  }

  /** Runs the action, translating refusals. */
  static <T> T call(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw of(e);
    }
  }

  static void run(Runnable action) {
    call(() -> {
      action.run();
      return null;
    });
  }
}
