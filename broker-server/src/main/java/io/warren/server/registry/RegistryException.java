package io.warren.server.registry;

/**
 * A registry change that cannot be made; the message is written for the operator (an HTTP 400 or 404 body, a
 * warrenctl error line). Immutable; any thread.
 */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
