// A TTL + dead-letter "retry loop" load: work queue --reject--> wait queue (x-message-ttl) --expired--> work queue,
// each message going round ROUNDS times before the consumer acks it (counted by the x-death header, as real retry
// code does). Keeps INFLIGHT messages in the loop (a new one is published when one finishes) and prints per-second
// and whole-run figures. Run with the single-file launcher and PerfTest's amqp-client (bench/retry-loop.sh does):
//   java -cp 'bench/lib/*' bench/tools/RetryLoop.java URI SECONDS ROUNDS TTL_MS INFLIGHT SIZE PREFIX [persistent]
// With "persistent", both queues are durable and the messages persistent (delivery mode 2).
// Last line (parsed by retry-loop.sh):
//   RESULT completed/s=N deadletters/s=N deliveries/s=N mean_ms=N p99_ms=N completed=N deadletters=N
// Dead letters = rejections (work -> wait) + expiries (wait -> work) = 2 * (ROUNDS - 1) per completed message.
// The queues are deleted at the end.
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class RetryLoop {
  public static void main(String[] args) throws Exception {
    if (args.length < 7) {
      System.err.println("usage: RetryLoop URI SECONDS ROUNDS TTL_MS INFLIGHT SIZE PREFIX");
      System.exit(2);
    }
    String uri = args[0];
    int seconds = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int ttl = Integer.parseInt(args[3]);
    int inflight = Integer.parseInt(args[4]);
    int size = Math.max(8, Integer.parseInt(args[5]));
    String work = args[6] + "-work";
    String wait = args[6] + "-wait";
    boolean persistent = args.length > 7 && args[7].equals("persistent");
    AMQP.BasicProperties props = persistent ? new AMQP.BasicProperties.Builder().deliveryMode(2).build() : null;

    ConnectionFactory cf = new ConnectionFactory();
    cf.setUri(uri);
    cf.setConnectionTimeout(5000);
    cf.setAutomaticRecoveryEnabled(false);
    AtomicLong deliveries = new AtomicLong();
    AtomicLong rejects = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    ConcurrentLinkedQueue<Long> latenciesUs = new ConcurrentLinkedQueue<>();
    Semaphore room = new Semaphore(inflight);
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    try (Connection pubConn = cf.newConnection("warren-bench-retry-pub");
         Connection conConn = cf.newConnection("warren-bench-retry-con")) {
      Channel setup = pubConn.createChannel();
      setup.queueDeclare(work, persistent, false, false,
          Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", wait));
      setup.queueDeclare(wait, persistent, false, false,
          Map.of("x-message-ttl", ttl, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", work));

      Channel con = conConn.createChannel();
      con.basicQos(Math.min(1000, Math.max(1, inflight)));
      con.basicConsume(work, false, new DefaultConsumer(con) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
            throws java.io.IOException {
          if (stopped.get()) {
            return; // the run is over: leave it unacked (requeued when the channel closes)
          }
          try {
            if (rejections(props, work) < rounds - 1) {
              getChannel().basicReject(env.getDeliveryTag(), false);
              rejects.incrementAndGet();
            } else {
              getChannel().basicAck(env.getDeliveryTag(), false);
              latenciesUs.add((System.nanoTime() - ByteBuffer.wrap(body).getLong()) / 1000);
              completed.incrementAndGet();
              room.release();
            }
            deliveries.incrementAndGet();
          } catch (com.rabbitmq.client.AlreadyClosedException e) {
            if (!stopped.get()) {
              throw e;
            }
          }
        }
      });

      Channel pub = pubConn.createChannel();
      byte[] body = new byte[size];
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long nextReport = start + TimeUnit.SECONDS.toNanos(1);
      long lastCompleted = 0;
      long lastRejects = 0;
      long lastDeliveries = 0;
      int second = 0;
      while (System.nanoTime() < end) {
        if (room.tryAcquire(10, TimeUnit.MILLISECONDS)) {
          ByteBuffer.wrap(body).putLong(System.nanoTime());
          pub.basicPublish("", work, props, body);
        }
        long now = System.nanoTime();
        if (now >= nextReport) {
          second++;
          long c = completed.get();
          long r = rejects.get();
          long d = deliveries.get();
          System.out.printf("time %d s, completed: %d msg/s, dead-lettered: %d msg/s, delivered: %d msg/s%n",
              second, c - lastCompleted, 2 * (r - lastRejects), d - lastDeliveries);
          lastCompleted = c;
          lastRejects = r;
          lastDeliveries = d;
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      stopped.set(true); // what is still in the loop is not counted
      long c = completed.get();
      // every rejection is followed by an expiry back into the work queue (in flight ones nearly all are)
      long dl = 2 * rejects.get();
      long delivered = deliveries.get();
      try {
        con.close(); // the broker requeues the unacked; their queues are deleted below
      } catch (Exception e) {
        System.out.println("closing the consumer channel: " + e.getMessage());
      }
      long[] lat = latenciesUs.stream().mapToLong(Long::longValue).sorted().toArray();
      double mean = lat.length == 0 ? 0 : Arrays.stream(lat).average().orElse(0) / 1000.0;
      double p99 = lat.length == 0 ? 0 : lat[(int) Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] / 1000.0;
      System.out.printf("RESULT completed/s=%.0f deadletters/s=%.0f deliveries/s=%.0f mean_ms=%.2f p99_ms=%.2f "
              + "completed=%d deadletters=%d%n", c / elapsed, dl / elapsed, delivered / elapsed, mean, p99,
          c, dl);
      for (String q : List.of(work, wait)) {
        try {
          setup.queueDelete(q);
        } catch (Exception e) {
          System.out.println("could not delete queue " + q + ": " + e.getMessage());
        }
      }
    }
  }

  /** How often the message was rejected from the work queue so far: the count of its x-death entry. */
  private static long rejections(AMQP.BasicProperties props, String work) {
    Map<String, Object> headers = props.getHeaders();
    if (headers == null || !(headers.get("x-death") instanceof List<?> deaths)) {
      return 0;
    }
    for (Object d : deaths) {
      if (d instanceof Map<?, ?> entry && work.equals(String.valueOf(entry.get("queue")))
          && "rejected".equals(String.valueOf(entry.get("reason")))) {
        return entry.get("count") instanceof Number n ? n.longValue() : 0;
      }
    }
    return 0;
  }
}
