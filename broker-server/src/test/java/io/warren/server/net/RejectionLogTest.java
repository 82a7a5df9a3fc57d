package io.warren.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RejectionLogTest {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private Logger logger;
  private RejectionLog log;

  @BeforeEach
  void attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger("rejection-log-test");
    lines.start();
    logger.addAppender(lines);
    // a long interval: the test ends intervals itself
    log = new RejectionLog(logger, timer, 3_600_000, 3);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    timer.shutdownNow();
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void logsTheFirstOfEachReasonAndPeerThenCountsTheRest() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");
    for (int i = 0; i < 1000; i++) {
      log.refused("login refused", a, "login refused #" + i + " from a");
    }
    log.refused("bad protocol header", a, "bad header from a");
    log.refused("login refused", b, "login refused from b");
    log.refused("login refused", b, "again from b");
    assertThat(messages()).containsExactly("login refused #0 from a", "bad header from a", "login refused from b");
    log.endInterval();
    assertThat(messages()).hasSize(5);
    assertThat(messages().get(3))
        .isEqualTo("999 more connection(s) from 10.0.0.1 refused in the last 3600 s (login refused), not logged one "
            + "by one");
    assertThat(messages().get(4)).startsWith("1 more connection(s) from 10.0.0.2");
    // a new interval logs the first ones in full again
    log.refused("login refused", a, "next interval");
    assertThat(messages()).hasSize(6).last().isEqualTo("next interval");
  }

  @Test
  void manyPeersCostABoundedNumberOfLines() throws Exception {
    for (int i = 0; i < 5000; i++) {
      InetAddress peer = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i});
      log.refused("bad protocol header", peer, "from peer " + i);
      log.refused("bad protocol header", peer, "again from peer " + i);
    }
    assertThat(messages()).hasSize(3);
    log.endInterval();
    // three full lines, three summary lines for the busiest peers, one line for all the others
    assertThat(messages()).hasSize(7);
    assertThat(messages().get(6)).startsWith("99").contains("more refused connection(s) from other peers");
    long counted = 0;
    for (String m : messages().subList(3, 7)) {
      counted += Long.parseLong(m.substring(0, m.indexOf(' ')));
    }
    assertThat(counted).isEqualTo(10_000 - 3);
  }
}
