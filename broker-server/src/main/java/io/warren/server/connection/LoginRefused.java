package io.warren.server.connection;

import io.warren.amqp.ConnectionException;
import io.warren.amqp.generated.ReplyCode;
import java.util.Map;

/**
 * A failed login. As in RabbitMQ, only a client that advertised the {@code authentication_failure_close} capability
 * is told so with connection.close 403 ACCESS_REFUSED; for any other the socket is simply closed, which clients
 * written before that capability read as a possible authentication failure. Thrown and caught on the connection's
 * event loop.
 */
final class LoginRefused extends ConnectionException {
  private final boolean closeExpected;
  private final String logLine;

  LoginRefused(String mechanism, Map<String, Object> clientProperties, String logLine) {
    super(ReplyCode.ACCESS_REFUSED, "Login was refused using authentication mechanism " + mechanism
        + ". For details see the broker logfile.", 10, 11);
    this.closeExpected = wantsClose(clientProperties);
    this.logLine = logLine;
  }

  /** Whether the client's capabilities table says {@code authentication_failure_close: true}. */
  static boolean wantsClose(Map<String, Object> clientProperties) {
    return clientProperties.get("capabilities") instanceof Map<?, ?> caps
        && Boolean.TRUE.equals(caps.get("authentication_failure_close"));
  }

  /** Whether to answer with connection.close rather than drop the socket. */
  boolean closeExpected() {
    return closeExpected;
  }

  /** What the broker's log says (the client is told less). */
  String logLine() {
    return logLine;
  }
}
