package io.warren.server.mirror;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault suite's workload through HAProxy: confirming publishers (persistent, message-id producer:seq, everything
 * unconfirmed published again after a reconnect) and manual-ack consumers, all with the Java client's automatic
 * recovery; and the checker's bookkeeping: confirmed, consumed, duplicates, the longest gap between confirms.
 */
final class Workload implements AutoCloseable {

    private final ConnectionFactory factory;
    private final String queue;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> consumed = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong lastConfirmNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    /** Since when (System.nanoTime) a fault is timed, and the first confirm after it on a connection opened since. */
    private volatile long faultAt = Long.MAX_VALUE;
    private final AtomicLong firstConfirmAfterFault = new AtomicLong();
    private volatile boolean publishing = true;
    private final Thread[] publishers;
    private Connection consumerConnection;

    Workload(int port, int producers, String queue) throws Exception {
        this.queue = queue;
        factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(250);
        factory.setConnectionTimeout(2000);
        factory.setRequestedHeartbeat(5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) { // a pair that just started may still be settling who serves
            try (Connection c = factory.newConnection("fault-setup"); Channel ch = c.createChannel()) {
                ch.queueDeclare(queue, true, false, false, null);
                break;
            } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
        startConsumer();
        publishers = new Thread[producers];
        for (int i = 0; i < producers; i++) {
            String producer = "p" + i;
            publishers[i] = new Thread(() -> publish(producer), "fault-publisher-" + producer);
            publishers[i].start();
        }
    }

    private void startConsumer() throws Exception {
        consumerConnection = factory.newConnection("fault-consumer");
        Channel ch = consumerConnection.createChannel();
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
    }

    /** One producer: publishes in windows of 50 and waits for their confirms; after a failure republishes them. */
    private void publish(String producer) {
        long seq = 0;
        Deque<String> pending = new ArrayDeque<>();
        Connection c = null;
        Channel ch = null;
        long opened = 0;
        while (publishing) {
            try {
                if (c == null) {
                    opened = System.nanoTime();
                    c = factory.newConnection("fault-" + producer);
                    ch = c.createChannel();
                    ch.confirmSelect();
                }
                ConcurrentSkipListMap<Long, String> window = new ConcurrentSkipListMap<>();
                while (pending.size() < 50) {
                    pending.add(producer + ":" + (seq++));
                }
                for (String id : pending) {
                    window.put(ch.getNextPublishSeqNo(), id);
                    ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(),
                        id.getBytes(StandardCharsets.UTF_8));
                }
                ch.waitForConfirmsOrDie(10_000);
                confirmed.addAll(window.values());
                pending.clear();
                long now = System.nanoTime();
                if (opened > faultAt) {
                    firstConfirmAfterFault.compareAndSet(0, now);
                }
                long gap = now - lastConfirmNanos.getAndSet(now);
                longestGapNanos.accumulateAndGet(gap, Math::max);
            } catch (Exception e) {
                // Unconfirmed: publish the same ids again on a fresh channel (duplicates are allowed, loss is not).
                republished.addAndGet(pending.size());
                if (ch != null) {
                    try {
                        ch.abort();
                    } catch (Exception ignored) {
                        // dead already
                    }
                }
                ch = null;
                if (c != null) {
                    c.abort(1000);
                }
                c = null;
                sleep(200);
            }
        }
        if (c != null) {
            c.abort(1000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stopPublishing() throws InterruptedException {
        publishing = false;
        for (Thread t : publishers) {
            t.join(30_000);
        }
    }

    /** Starts timing a fault (a kill): {@link #millisSinceFaultToConfirm()} is measured from now. */
    void faultNow() {
        firstConfirmAfterFault.set(0);
        faultAt = System.nanoTime();
    }

    /**
     * From the last {@link #faultNow()} to the first confirm a publisher got on a connection opened after it (so from
     * the new primary, not a late confirm of the old one), or -1 while there is none.
     */
    long millisSinceFaultToConfirm() {
        long first = firstConfirmAfterFault.get();
        return first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - faultAt);
    }

    int confirmedCount() {
        return confirmed.size();
    }

    /** Confirmed but never consumed. */
    Set<String> lost() {
        Set<String> lost = ConcurrentHashMap.newKeySet();
        for (String id : confirmed) {
            if (!consumed.containsKey(id)) {
                lost.add(id);
            }
        }
        return lost;
    }

    long duplicates() {
        return duplicates.get();
    }

    long republished() {
        return republished.get();
    }

    long longestConfirmGapMillis() {
        return longestGapNanos.get() / 1_000_000;
    }

    @Override
    public void close() {
        publishing = false;
        if (consumerConnection != null) {
            consumerConnection.abort(2000);
        }
    }

}
