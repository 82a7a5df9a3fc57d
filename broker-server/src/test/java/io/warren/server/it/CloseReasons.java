package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;

/**
 * The errors the broker answers with, as the Java client reports them: a channel.close or connection.close
 * wrapped in a {@link ShutdownSignalException}. Used by the queue, publish and consume integration tests.
 */
final class CloseReasons {
  /** A client call that the broker is expected to refuse. */
  interface Call {
    void run() throws Exception;
  }

  private CloseReasons() {}

  /** Runs a synchronous call that must fail with a channel error, and returns the channel.close. */
  static AMQP.Channel.Close channelError(Call call) {
    ShutdownSignalException s = signalOf(call);
    assertThat(s.isHardError()).as("expected a channel error, got %s", s.getReason()).isFalse();
    return (AMQP.Channel.Close) s.getReason();
  }

  /** Runs a synchronous call that must fail with a connection error, and returns the connection.close. */
  static AMQP.Connection.Close connectionError(Call call) {
    ShutdownSignalException s = signalOf(call);
    assertThat(s.isHardError()).as("expected a connection error, got %s", s.getReason()).isTrue();
    return (AMQP.Connection.Close) s.getReason();
  }

  /** Asserts a channel error's code and its full reply text ("PRECONDITION_FAILED - ..."). */
  static void assertChannelError(Call call, int code, String text) {
    AMQP.Channel.Close close = channelError(call);
    assertThat(close.getReplyCode()).as(close.getReplyText()).isEqualTo(code);
    assertThat(close.getReplyText()).isEqualTo(text);
  }

  /** Waits for the broker to close a channel after an asynchronous method (ack, publish...). */
  static AMQP.Channel.Close awaitChannelClosed(Channel ch) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !ch.isOpen());
    ShutdownSignalException s = ch.getCloseReason();
    assertThat(s.isHardError()).as("expected a channel error, got %s", s.getReason()).isFalse();
    return (AMQP.Channel.Close) s.getReason();
  }

  /** Waits for the broker to close a connection, and returns why. */
  static AMQP.Connection.Close awaitConnectionClosed(Connection conn) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !conn.isOpen());
    return (AMQP.Connection.Close) conn.getCloseReason().getReason();
  }

  private static ShutdownSignalException signalOf(Call call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).as("the broker accepted a call it should refuse").isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ShutdownSignalException s) {
        return s;
      }
    }
    throw new AssertionError("expected a ShutdownSignalException, got " + t, t);
  }
}
