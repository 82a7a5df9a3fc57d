package io.warren.management.http;

/** Answers one matched request. Runs on the management event loop; may throw AdminException for a 4xx. */
@FunctionalInterface
public interface RouteHandler {
  Response handle(Request request) throws Exception;
}
