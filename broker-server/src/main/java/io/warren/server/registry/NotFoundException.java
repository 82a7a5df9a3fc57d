package io.warren.server.registry;

/** The vhost, user, permission, policy or connection named does not exist (an HTTP 404). Any thread. */
public final class NotFoundException extends RegistryException {
  public NotFoundException(String message) {
    super(message);
  }
}
