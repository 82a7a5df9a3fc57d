package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process given a small memory limit (warren.limits.total-memory) and flooded with transient messages that
 * nobody consumes blocks its publishers (connection.blocked "low on memory") and keeps its resident set under that
 * limit; once the queues are purged, publishers are unblocked.
 */
class MemoryLimitIT {
  private static final long LIMIT = 512L << 20;
  private static final int BODY = 64 * 1024;
  /** A bounded flood: 1.5 GiB offered, three times the limit. */
  private static final long FLOOD_BYTES = 1536L << 20;

  @TempDir
  Path dataDir;
  @TempDir
  Path logDir;
  private BrokerProcess broker;

  @BeforeEach
  void start() throws Exception {
    broker = new BrokerProcess(dataDir, logDir, List.of("-Xmx256m", "-Dwarren.limits.total-memory=512MiB"));
    broker.start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void aFloodOfTransientMessagesBlocksPublishersAndTheProcessStaysUnderItsLimit() throws Exception {
    AtomicLong maxRss = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        maxRss.accumulateAndGet(rss(broker.pid()), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    sampler.start();
    Connection conn = broker.connect();
    AtomicReference<String> blocked = new AtomicReference<>();
    AtomicBoolean unblocked = new AtomicBoolean();
    conn.addBlockedListener(new BlockedListener() {
      @Override
      public void handleBlocked(String reason) {
        blocked.set(reason);
      }

      @Override
      public void handleUnblocked() {
        unblocked.set(true);
      }
    });
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("flood", "fanout");
    for (int i = 0; i < 4; i++) {
      ch.queueDeclare("flood-" + i, false, false, false, null);
      ch.queueBind("flood-" + i, "flood", "");
    }
    AtomicLong sent = new AtomicLong();
    Thread publisher = new Thread(() -> {
      byte[] body = new byte[BODY];
      try {
        while (sent.get() < FLOOD_BYTES && blocked.get() == null) {
          ch.basicPublish("flood", "", null, body);
          sent.addAndGet(BODY);
        }
      } catch (Exception e) {
        // the connection is aborted at the end of the test while this thread may be stuck in a write
      }
    }, "flood-publisher");
    publisher.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> blocked.get() != null || !publisher.isAlive());
    assertThat(blocked.get()).as("connection.blocked after %d MiB", sent.get() >> 20).isEqualTo("low on memory");
    Thread.sleep(1000); // what was in flight when the broker stopped reading lands now
    long rssBlocked = rss(broker.pid());
    Channel admin = broker.connect().createChannel();
    for (int i = 0; i < 4; i++) {
      admin.queuePurge("flood-" + i);
    }
    await().atMost(Duration.ofSeconds(60)).untilTrue(unblocked);
    sampling.set(false);
    sampler.join();
    System.out.printf("MemoryLimitIT: %d MiB published before the block, RSS %d MiB when blocked, max %d MiB "
        + "(limit %d MiB)%n", sent.get() >> 20, rssBlocked >> 20, maxRss.get() >> 20, LIMIT >> 20);
    assertThat(maxRss.get()).isLessThan(LIMIT);
    conn.abort(1000);
    publisher.join(5000);
  }

  /** VmRSS of a process, in bytes. */
  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // the process may have just exited
    }
    return 0;
  }
}
