import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failover benchmark's client (bench/pair-failover.sh): confirming publishers (persistent, message-id
 * producer:seq, everything unconfirmed published again after a reconnect) and one manual-ack consumer, all through
 * HAProxy with the Java client's automatic recovery, running until the file STOP_FILE exists. Then it reads the kill
 * times (epoch ms, one a line) from KILLS_FILE and reports, for each, how long until the next confirm; and lost =
 * confirmed but never consumed, which must be empty.
 *
 *   java -cp 'bench/lib/*' bench/tools/FailoverLoad.java HOST PORT QUEUE PRODUCERS KILLS_FILE STOP_FILE PROGRESS_FILE
 */
public final class FailoverLoad {

    private static final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private static final Map<String, Integer> consumed = new ConcurrentHashMap<>();
    private static final AtomicLong duplicates = new AtomicLong();
    private static final AtomicLong republished = new AtomicLong();
    private static long[] confirmTimes = new long[1 << 16];
    private static int confirmCount;
    private static volatile boolean publishing = true;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String queue = args[2];
        int producers = Integer.parseInt(args[3]);
        Path kills = Path.of(args[4]);
        Path stop = Path.of(args[5]);
        Path progress = Path.of(args[6]);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(250);
        f.setConnectionTimeout(2000);
        f.setRequestedHeartbeat(5);
        try (Connection c = f.newConnection("failover-setup"); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
        }
        Connection consumer = consume(f, queue);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            String producer = "p" + i;
            Thread t = new Thread(() -> publish(f, queue, producer), "publisher-" + producer);
            t.start();
            threads.add(t);
        }
        while (!Files.exists(stop)) {
            Files.writeString(progress, confirmed.size() + " " + consumed.size() + "\n");
            Thread.sleep(200);
        }
        publishing = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!lost().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        consumer.abort(2000);
        report(kills);
        System.exit(lost().isEmpty() ? 0 : 1);
    }

    private static Connection consume(ConnectionFactory f, String queue) throws Exception {
        Connection c = f.newConnection("failover-consumer");
        Channel ch = c.createChannel();
        ch.basicQos(200);
        DeliverCallback onDelivery = (tag, d) -> {
            String id = d.getProperties().getMessageId();
            if (consumed.merge(id, 1, Integer::sum) > 1) {
                duplicates.incrementAndGet();
            }
            try {
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            } catch (Exception e) {
                // the connection went away: the message comes back, marked redelivered
            }
        };
        ch.basicConsume(queue, false, onDelivery, tag -> { });
        return c;
    }

    /** Publishes windows of 50 and waits for their confirms; after a failure publishes the same ids again. */
    private static void publish(ConnectionFactory f, String queue, String producer) {
        long seq = 0;
        Deque<String> pending = new ArrayDeque<>();
        Connection c = null;
        Channel ch = null;
        while (publishing) {
            try {
                if (c == null) {
                    c = f.newConnection("failover-" + producer);
                    ch = c.createChannel();
                    ch.confirmSelect();
                }
                while (pending.size() < 50) {
                    pending.add(producer + ":" + (seq++));
                }
                for (String id : pending) {
                    ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(),
                        id.getBytes(StandardCharsets.UTF_8));
                }
                ch.waitForConfirmsOrDie(10_000);
                confirmed.addAll(pending);
                pending.clear();
                confirmedAt(System.currentTimeMillis());
            } catch (Exception e) {
                republished.addAndGet(pending.size());
                if (c != null) {
                    c.abort(1000);
                }
                c = null;
                ch = null;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        if (c != null) {
            c.abort(1000);
        }
    }

    private static synchronized void confirmedAt(long millis) {
        if (confirmCount == confirmTimes.length) {
            confirmTimes = Arrays.copyOf(confirmTimes, confirmCount * 2);
        }
        confirmTimes[confirmCount++] = millis;
    }

    private static Set<String> lost() {
        Set<String> lost = ConcurrentHashMap.newKeySet();
        for (String id : confirmed) {
            if (!consumed.containsKey(id)) {
                lost.add(id);
            }
        }
        return lost;
    }

    /**
     * For each kill: the time from it until the first confirm later than 1 s after it. A confirm stamped just after the
     * kill came from the killed primary (the publisher's thread ran late on a busy machine); no failover takes less
     * than a lease.
     */
    private static synchronized void report(Path kills) throws Exception {
        long[] times = Arrays.copyOf(confirmTimes, confirmCount);
        Arrays.sort(times);
        List<Long> failovers = new ArrayList<>();
        int round = 0;
        for (String line : Files.readAllLines(kills)) {
            if (line.isBlank()) {
                continue;
            }
            long k = Long.parseLong(line.trim());
            int i = Arrays.binarySearch(times, k + 1000);
            i = i < 0 ? -i - 1 : i;
            round++;
            if (i < times.length) {
                failovers.add(times[i] - k);
                System.out.printf("round %d: first confirm %d ms after the kill%n", round, times[i] - k);
            } else {
                System.out.printf("round %d: no confirm after the kill%n", round);
            }
        }
        List<Long> sorted = new ArrayList<>(failovers);
        sorted.sort(null);
        if (!sorted.isEmpty()) {
            int n = sorted.size();
            long median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            System.out.printf("failover over %d kill -9s of the primary: median %d ms, max %d ms, min %d ms%n",
                n, median, sorted.get(n - 1), sorted.get(0));
        }
        System.out.printf("confirmed %d, consumed %d distinct, lost (confirmed, never consumed) %d, duplicates %d, "
            + "republished after a failure %d%n", confirmed.size(), consumed.size(), lost().size(), duplicates.get(),
            republished.get());
    }
}
