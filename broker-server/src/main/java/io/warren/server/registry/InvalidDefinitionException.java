package io.warren.server.registry;

/** A definition that is malformed: a bad name, regular expression, policy key or limit (an HTTP 400). Any thread. */
public final class InvalidDefinitionException extends RegistryException {
  public InvalidDefinitionException(String message) {
    super(message);
  }

  public InvalidDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
