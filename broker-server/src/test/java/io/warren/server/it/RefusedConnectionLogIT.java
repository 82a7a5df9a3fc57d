package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A flood of refused connections (failed logins, garbage instead of a protocol header, broken frames during the
 * handshake) writes a bounded number of log lines, not one or two per connection.
 */
class RefusedConnectionLogIT {
  private static final int EACH = 200;

  @Test
  void aFloodOfBadConnectionsLogsAFewLines() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger warren = context.getLogger("io.warren");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    warren.addAppender(lines);
    try (BrokerFixture broker = BrokerFixture.start(c -> c.withLimits(c.limits().withFailedLoginDelay(0)))) {
      for (int i = 0; i < EACH; i++) {
        try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
          c.sendProtocolHeader();
          c.expect(ConnectionStart.class);
          c.send(0, new ConnectionStartOk(Map.of(), "PLAIN",
              LongString.copyOf(("\0guest\0wrong" + i).getBytes(StandardCharsets.UTF_8)), "en_US"));
          assertThat(c.bytesUntilClosedByPeer(Duration.ofSeconds(5))).isZero();
        }
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
          s.setSoTimeout(5000);
          OutputStream out = s.getOutputStream();
          out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = s.getInputStream();
          assertThat(in.readAllBytes()).startsWith('A', 'M', 'Q', 'P'); // the header it supports, then the close
        }
      }
      List<String> warnings = lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).toList();
      // one full line per reason and peer (login refused, bad header); summaries come at the end of the interval
      assertThat(warnings).hasSizeLessThanOrEqualTo(4);
      assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("Login refused for user 'guest' from 127.0.0.1"));
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("bad protocol header 474554202f204854"));
    } finally {
      warren.detachAppender(lines);
    }
  }

  @Test
  void whatAClientSendsAfterTheBrokerGaveUpOnItLogsNoError() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger warren = context.getLogger("io.warren");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    warren.addAppender(lines);
    try (BrokerFixture broker = BrokerFixture.start()) {
      for (int i = 0; i < 20; i++) {
        try (RawAmqpClient c = RawAmqpClient.open(broker.port())) {
          c.openChannel(1);
          // an unknown method drops the socket (as RabbitMQ); the garbage right behind it is already on its way
          byte[] unknown = {1, 0, 1, 0, 0, 0, 4, 0, 60, 0, 99, (byte) 0xce};
          byte[] garbage = new byte[64];
          byte[] both = new byte[unknown.length + garbage.length];
          System.arraycopy(unknown, 0, both, 0, unknown.length);
          System.arraycopy(garbage, 0, both, unknown.length, garbage.length);
          c.sendBytes(both);
          assertThat(c.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
        }
      }
      assertThat(lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .map(ILoggingEvent::getFormattedMessage)).isEmpty();
    } finally {
      warren.detachAppender(lines);
    }
  }
}
