package io.warren.server.it;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Captures Netty's leak reports ("LEAK: ByteBuf.release() was not called...") while a test runs, and proves the
 * detector was listening: {@link #leaks()} leaks one marked canary buffer on purpose and collects garbage until that
 * canary is reported, so every buffer that became garbage earlier has been reported too. Reports are kept off the
 * console while capturing (the canary would look like a real leak there) and real ones are logged again on close.
 * One test thread; tests in a JVM run one at a time.
 */
final class LeakCheck implements AutoCloseable {
  private static final String DETECTOR = ResourceLeakDetector.class.getName();
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LeakCheck.class);

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger detectorLogger = (Logger) LoggerFactory.getLogger(DETECTOR);
  private final boolean additive;
  private final ResourceLeakDetector.Level level;
  private final String canary = "leak-check-canary-" + UUID.randomUUID();

  private LeakCheck() {
    level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // surefire sets it too; this makes sure
    additive = detectorLogger.isAdditive();
    appender.start();
    detectorLogger.addAppender(appender);
    detectorLogger.setAdditive(false);
  }

  static LeakCheck start() {
    return new LeakCheck();
  }

  /** Every leak reported since {@link #start()}, after garbage collection has caught up. */
  List<String> leaks() {
    leakCanary();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      System.gc();
      ByteBufAllocator.DEFAULT.buffer(8).release(); // leaks are reported when a buffer is next tracked
      return reports().stream().anyMatch(r -> r.contains(canary));
    });
    return reports().stream().filter(r -> !r.contains(canary)).toList();
  }

  private void leakCanary() {
    ByteBuf b = ByteBufAllocator.DEFAULT.buffer(8);
    b.touch(canary); // dropped without release(): garbage the detector must report
  }

  private List<String> reports() {
    synchronized (appender.list) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
    }
  }

  @Override
  public void close() {
    detectorLogger.detachAppender(appender);
    detectorLogger.setAdditive(additive);
    ResourceLeakDetector.setLevel(level);
    reports().stream().filter(r -> !r.contains(canary)).forEach(r -> LOG.error("{}", r));
  }
}
