// Measures how late Warren delivers delayed messages (x-delayed-message exchange, x-delay header) under a backlog.
// Publishes N persistent messages with confirms; message i is due at a random time, uniform in
// [T0 + start-after, T0 + start-after + window] (T0 = start of publishing; start-after should exceed the publish
// phase so that everything is scheduled before the first message is due), stamped in header "bench-due" (epoch ms).
// A consumer records arrival - due per message; the tool prints the lateness distribution and the broker's RSS.
// The broker counts x-delay from when it receives the message, a little after the tool stamped "bench-due", so
// arrival - due is an upper bound of the broker's lateness; arrival - (due + that publish's confirm latency) is a
// lower bound (the broker received it before confirming it). Both are printed.
// Run with the Java single-file source launcher, using PerfTest's amqp-client:
//   java -cp 'bench/lib/*' bench/tools/DelayedLateness.java URI N WINDOW_S START_AFTER_S SIZE PREFIX [BROKER_PID]
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class DelayedLateness {
  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: DelayedLateness URI N WINDOW_S START_AFTER_S SIZE PREFIX [BROKER_PID]");
      System.exit(2);
    }
    String uri = args[0];
    int n = Integer.parseInt(args[1]);
    long windowMs = Long.parseLong(args[2]) * 1000;
    long startAfterMs = Long.parseLong(args[3]) * 1000;
    int size = Integer.parseInt(args[4]);
    String prefix = args[5];
    String pid = args.length > 6 ? args[6] : null;
    String exchange = prefix + "-x";
    String queue = prefix + "-q";

    ConnectionFactory cf = new ConnectionFactory();
    cf.setUri(uri);
    cf.setConnectionTimeout(10000);
    cf.setAutomaticRecoveryEnabled(false);
    long[] lateness = new long[n];
    long[] lower = new long[n];
    long[] sentAt = new long[n + 1];
    long[] confirmLatency = new long[n + 1];
    CONFIRMS = (from, to) -> {
      long now = System.nanoTime();
      for (long t = from; t <= to && t <= n; t++) {
        confirmLatency[(int) t] = (now - sentAt[(int) t]) / 1_000_000;
      }
    };
    AtomicInteger received = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(n);
    // BENCH_WARMUP=N: first route N messages at once (no x-delay) through the same exchange, queue and consumer, so
    // that the delivery path of both JVMs is warm; the scheduler's own path stays cold.
    int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "0"));
    CountDownLatch warmedUp = new CountDownLatch(warmup);
    try (Connection pubConn = cf.newConnection("delayed-lateness-pub");
        Connection subConn = cf.newConnection("delayed-lateness-sub")) {
      Channel setup = pubConn.createChannel();
      setup.exchangeDeclare(exchange, "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
      setup.queueDeclare(queue, true, false, false, null);
      setup.queueBind(queue, exchange, "k");
      setup.close();

      Channel sub = subConn.createChannel();
      sub.basicQos(2000);
      sub.basicConsume(queue, false, new DefaultConsumer(sub) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
            throws java.io.IOException {
          long now = System.currentTimeMillis();
          if (props.getHeaders() != null && props.getHeaders().containsKey("bench-warmup")) {
            warmedUp.countDown();
            if ((env.getDeliveryTag() & 63) == 0) {
              getChannel().basicAck(env.getDeliveryTag(), true);
            }
            return;
          }
          Object due = props.getHeaders() == null ? null : props.getHeaders().get("bench-due");
          Object seq = props.getHeaders() == null ? null : props.getHeaders().get("bench-seq");
          int i = received.getAndIncrement();
          if (due instanceof Number d && seq instanceof Number s && i < n) {
            lateness[i] = now - d.longValue();
            lower[i] = lateness[i] - confirmLatency[s.intValue()];
            all.countDown();
          }
          if ((env.getDeliveryTag() & 63) == 0) {
            getChannel().basicAck(env.getDeliveryTag(), true);
          }
        }
      });

      Channel pub = pubConn.createChannel();
      pub.confirmSelect();
      if (warmup > 0) {
        AMQP.BasicProperties warm = new AMQP.BasicProperties.Builder().deliveryMode(2)
            .headers(Map.of("bench-warmup", true)).build();
        for (int i = 0; i < warmup; i++) {
          pub.basicPublish(exchange, "k", warm, new byte[size]);
          if ((i & 1023) == 1023) {
            pub.waitForConfirmsOrDie(60_000);
          }
        }
        pub.waitForConfirmsOrDie(60_000);
        if (!warmedUp.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("warm-up messages did not all arrive");
        }
        System.out.printf("warm-up: %d messages routed at once and consumed%n", warmup);
        lastConfirmed = pub.getNextPublishSeqNo() - 1;
        offset = lastConfirmed; // the measured messages' confirm tags come after the warm-up's
      }
      String rssBefore = rss(pid);
      Semaphore inFlight = new Semaphore(1000);
      pub.addConfirmListener((tag, multiple) -> release(inFlight, tag, multiple),
          (tag, multiple) -> { System.err.println("NACK " + tag); release(inFlight, tag, multiple); });
      byte[] body = new byte[size];
      long t0 = System.currentTimeMillis();
      int pastDue = 0;
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      for (int i = 0; i < n; i++) {
        long due = t0 + startAfterMs + (long) (rnd.nextDouble() * windowMs);
        long now = System.currentTimeMillis();
        long delay = due - now;
        if (delay < 1) {
          pastDue++;
          delay = 1;
          due = now + 1;
        }
        Map<String, Object> h = new HashMap<>();
        h.put("x-delay", delay);
        h.put("bench-due", due);
        h.put("bench-seq", i + 1L);
        inFlight.acquire();
        sentAt[i + 1] = System.nanoTime();
        pub.basicPublish(exchange, "k", new AMQP.BasicProperties.Builder().headers(h).deliveryMode(2).build(), body);
      }
      pub.waitForConfirmsOrDie(120_000);
      long published = System.currentTimeMillis();
      System.out.printf("published %d in %.1f s (%.0f msg/s), %d past their due time when published%n", n,
          (published - t0) / 1000.0, n * 1000.0 / Math.max(1, published - t0), pastDue);
      String rssScheduled = rss(pid);
      System.out.println("broker RSS before: " + rssBefore + ", all scheduled: " + rssScheduled);
      long deadline = t0 + startAfterMs + windowMs + 120_000;
      while (!all.await(10, TimeUnit.SECONDS)) {
        System.out.printf("  received %d/%d%n", received.get(), n);
        if (System.currentTimeMillis() > deadline) {
          break;
        }
      }
      String rssEnd = rss(pid);
      int got = (int) Math.min(n, n - all.getCount());
      long[] l = Arrays.copyOf(lateness, got);
      Arrays.sort(l);
      long early = Arrays.stream(l).filter(x -> x < 0).count();
      long over50 = Arrays.stream(l).filter(x -> x > 50).count();
      System.out.println("broker RSS at the end: " + rssEnd);
      long[] lo = Arrays.copyOf(lower, got);
      Arrays.sort(lo);
      System.out.printf("lower bound (minus the publish's confirm latency): min %d p50 %d p90 %d p99 %d p99.9 %d max %d;"
          + " > 50 ms: %d%n", pct(lo, 0), pct(lo, 50), pct(lo, 90), pct(lo, 99), pct(lo, 99.9), pct(lo, 100),
          Arrays.stream(lo).filter(x -> x > 50).count());
      System.out.printf("lateness ms (arrival - due) over %d messages: min %d p50 %d p90 %d p99 %d p99.9 %d max %d;"
          + " > 50 ms: %d; early: %d%n", got, pct(l, 0), pct(l, 50), pct(l, 90), pct(l, 99), pct(l, 99.9),
          pct(l, 100), over50, early);
      System.out.printf("RESULT n=%d received=%d min=%d p50=%d p90=%d p99=%d p99.9=%d max=%d over50=%d early=%d "
          + "rss_scheduled=%s rss_end=%s%n", n, got, pct(l, 0), pct(l, 50), pct(l, 90), pct(l, 99), pct(l, 99.9),
          pct(l, 100), over50, early, rssScheduled.replace(' ', '_'), rssEnd.replace(' ', '_'));
      Channel cleanup = pubConn.createChannel();
      cleanup.queueDelete(queue);
      cleanup.exchangeDelete(exchange);
      if (got < n) {
        System.exit(1);
      }
    }
  }

  private static long lastConfirmed;
  private static long offset;
  private static java.util.function.BiConsumer<Long, Long> CONFIRMS;

  /** Warren (and RabbitMQ) confirm one channel's publishes in order: a confirm settles everything up to its tag. */
  private static synchronized void release(Semaphore inFlight, long tag, boolean multiple) {
    if (tag > lastConfirmed) {
      CONFIRMS.accept(lastConfirmed + 1 - offset, tag - offset);
      inFlight.release((int) (tag - lastConfirmed));
      lastConfirmed = tag;
    }
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String rss(String pid) {
    if (pid == null) {
      return "n/a";
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return line.substring(6).trim();
        }
      }
    } catch (Exception e) {
      return "n/a (" + e.getMessage() + ")";
    }
    return "n/a";
  }
}
