package io.warren.management.spi;

/**
 * Why a management operation was refused, as an HTTP status plus RabbitMQ's {@code error} and {@code reason} fields.
 * Thrown by {@link ManagedBroker} implementations on the calling thread.
 */
public final class AdminException extends RuntimeException {
  private final int status;
  private final String error;

  public AdminException(int status, String error, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.error = error;
  }

  public static AdminException notFound(String reason) {
    return new AdminException(404, "Object Not Found", reason);
  }

  public static AdminException badRequest(String reason) {
    return new AdminException(400, "bad_request", reason);
  }

  public static AdminException forbidden(String reason) {
    return new AdminException(401, "not_authorised", reason);
  }

  public static AdminException unsupported(String what) {
    return new AdminException(501, "not_implemented", what + " is not supported by this broker");
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String reason() {
    return getMessage();
  }
}
