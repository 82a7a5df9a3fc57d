package io.warren.server.flow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resource alarm like RabbitMQ's (memory, disk): reads the resource every 100 ms and, while it is past its limit,
 * publishing connections are blocked (connection.blocked with reason "low on &lt;resource&gt;", no more reads from
 * them) until every alarm has cleared. Any thread; listeners are called on the alarm's own thread and must hand off.
 */
public abstract class ResourceAlarm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceAlarm.class);

  /** Something that publishes and can be paused. */
  public interface Listener {
    /** This alarm was raised or cleared; others may still be raised (ask the broker). */
    void resourceAlarm(boolean raised);
  }

  private final String resource;
  private final LongSupplier reading;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;
  private volatile boolean raised;
  /** The last reading failed; only the timer thread touches it. */
  private boolean unreadable;

  /**
   * @param resource "memory" or "disk": names the timer thread and makes the blocked reason "low on &lt;resource&gt;"
   * @param reading the resource's current reading (tests give their own)
   */
  protected ResourceAlarm(String resource, LongSupplier reading) {
    this.resource = resource;
    this.reading = reading;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warren-" + resource + "-alarm");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts checking on a timer; subclasses call it last in their constructor (tests call {@link #check}). */
  protected final void watch() {
    timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Whether this reading is past the limit. */
  protected abstract boolean over(long reading);

  /** A log line's description of the reading against the limit. */
  protected abstract String describe(long reading);

  public boolean raised() {
    return raised;
  }

  /** The reason sent in connection.blocked, as RabbitMQ words it. */
  public String reason() {
    return "low on " + resource;
  }

  public void register(Listener l) {
    listeners.add(l);
    if (raised) {
      l.resourceAlarm(true);
    }
  }

  public void unregister(Listener l) {
    listeners.remove(l);
  }

  void check() {
    long value;
    try {
      value = reading.getAsLong();
    } catch (RuntimeException e) {
      // checked ten times a second: say it once, not on every check, until it can be read again
      if (!unreadable) {
        unreadable = true;
        LOG.warn("Cannot read the {} for its alarm: {}", resource, e.toString());
      }
      return;
    }
    if (unreadable) {
      unreadable = false;
      LOG.info("The {} can be read again for its alarm", resource);
    }
    boolean now = over(value);
    if (now != raised) {
      raised = now;
      if (now) {
        LOG.warn("{} alarm raised: {}; publishers are blocked", capitalised(), describe(value));
      } else {
        LOG.info("{} alarm cleared: {}", capitalised(), describe(value));
      }
      for (Listener l : listeners) {
        l.resourceAlarm(now);
      }
    }
  }

  private String capitalised() {
    return Character.toUpperCase(resource.charAt(0)) + resource.substring(1);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
