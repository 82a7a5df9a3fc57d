package io.warren.server.flow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resource alarm like RabbitMQ's (memory, disk): reads the resource every 100 ms and, while it is past its limit,
 * publishing connections are blocked (connection.blocked with reason "low on &lt;resource&gt;", no more reads from
 * them) until every alarm has cleared. An operator can also raise it by hand (rabbitmqctl's set_alarm): it is then
 * held until cleared by hand, whatever the readings say, and it is raised while either the reading or the hand says
 * so. Any thread; every change of state happens on the alarm's own thread, which also calls the listeners (they must
 * hand off).
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
  /** Measured or by hand: the one field a publish reads. */
  private volatile boolean raised;
  private volatile boolean byHand;
  /** The last reading was past the limit; only the timer thread (or a test calling check) touches it. */
  private boolean measured;
  /** The last reading failed; only the timer thread touches it. */
  private boolean unreadable;
  private final AtomicBoolean watching = new AtomicBoolean();

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
    if (watching.compareAndSet(false, true)) {
      timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Runs a change of this alarm's settings on its own thread, then reads the resource at once, and returns when
   * both are done: the caller sees the alarm raised or cleared by the new setting.
   */
  protected final void change(Runnable setting) {
    try {
      timer.submit(() -> {
        setting.run();
        check();
      }).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while changing the " + resource + " alarm", e);
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      throw new IllegalStateException("cannot change the " + resource + " alarm: " + e, e);
    }
  }

  /** Raises (true) or clears (false) the alarm by hand, as rabbitmqctl's set_alarm / clear_alarm do. */
  public void setByHand(boolean on) {
    change(() -> {
      if (byHand != on) {
        byHand = on;
        LOG.warn("{} alarm {} by hand", capitalised(), on ? "raised" : "cleared");
      }
    });
  }

  /** Whether an operator raised this alarm by hand and has not cleared it yet. */
  public boolean raisedByHand() {
    return byHand;
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
    read();
    boolean now = measured || byHand;
    if (now != raised) {
      raised = now;
      for (Listener l : listeners) {
        l.resourceAlarm(now);
      }
    }
  }

  /** Reads the resource and updates {@link #measured}; an unreadable resource leaves it as it was. */
  private void read() {
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
    boolean over = over(value);
    if (over != measured) {
      measured = over;
      if (over) {
        LOG.warn("{} alarm raised: {}; publishers are blocked", capitalised(), describe(value));
      } else {
        LOG.info("{} alarm cleared: {}", capitalised(), describe(value));
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
