package io.warren.server.warmup;

import io.warren.amqp.generated.BasicAck;
import io.warren.amqp.generated.BasicConsume;
import io.warren.amqp.generated.BasicPublish;
import io.warren.amqp.generated.BasicQos;
import io.warren.amqp.generated.ChannelOpen;
import io.warren.amqp.generated.ConfirmSelect;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.QueueDeclare;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Publishes and consumes through a broker the way most clients do, until told to stop: one publishing and one
 * consuming connection (as PerfTest and most applications have them, so the hand-off between two event loops is
 * exercised), with on channel 1 transient 1,000-byte messages to a queue consumed with automatic acknowledgement,
 * and on channel 2 persistent messages with publisher confirms to a durable queue consumed with manual acks and a
 * prefetch. The publisher writes as fast as the broker reads; the broker's own flow control paces it.
 *
 * <p>Threads: {@link #run} on the calling thread, which writes the publishes; one reader thread per connection
 * ("warren-warmup-reader-N"), ended before {@link #run} returns.
 */
final class WarmUpTraffic {
    /** What went through the broker. */
    record Result(long published, long delivered) {
    }

    private static final int BODY = 1000;
    private static final int TRANSIENT_PER_BATCH = 32;
    private static final int PERSISTENT_PER_BATCH = 8;
    private static final int PREFETCH = 500;
    private static final int ACK_EVERY = 100;
    private static final String TRANSIENT_QUEUE = "warm-up.transient";
    private static final String PERSISTENT_QUEUE = "warm-up.persistent";

    private WarmUpTraffic() {
    }

    /**
     * Runs until {@code stop} answers true (asked after every batch of 40 publishes), then closes both connections.
     *
     * @param timeoutMillis socket timeout: a broker that stops answering for this long fails the warm-up
     */
    static Result run(InetSocketAddress broker, String user, String password, int timeoutMillis, BooleanSupplier stop)
            throws IOException {
        AtomicLong delivered = new AtomicLong();
        try (WarmUpConnection publisher = WarmUpConnection.open(broker, user, password, timeoutMillis);
             WarmUpConnection consumer = WarmUpConnection.open(broker, user, password, timeoutMillis)) {
            for (WarmUpConnection c : new WarmUpConnection[] {publisher, consumer}) {
                c.call(1, ChannelOpen.INSTANCE, 20, 11);
                c.call(2, ChannelOpen.INSTANCE, 20, 11);
            }
            publisher.call(1, new QueueDeclare(TRANSIENT_QUEUE, false, false, false, false, false, Map.of()), 50, 11);
            publisher.call(2, new QueueDeclare(PERSISTENT_QUEUE, false, true, false, false, false, Map.of()), 50, 11);
            publisher.call(2, new ConfirmSelect(false), 85, 11);
            consumer.call(2, new BasicQos(0, PREFETCH, false), 60, 11);
            consumer.call(1, new BasicConsume(TRANSIENT_QUEUE, "", false, true, false, false, Map.of()), 60, 21);
            consumer.call(2, new BasicConsume(PERSISTENT_QUEUE, "", false, false, false, false, Map.of()), 60, 21);

            Thread consuming = reader(consumer, "warren-warmup-reader-1", () -> {
                long lastAcked = 0;
                while (true) {
                    consumer.readFrame();
                    if (consumer.isMethod(60, 60)) {
                        delivered.incrementAndGet();
                        if (consumer.channel() == 2) {
                            long tag = consumer.deliveryTag();
                            if (tag - lastAcked >= ACK_EVERY) {
                                consumer.write(WarmUpConnection.encode(2, new BasicAck(tag, true)));
                                lastAcked = tag;
                            }
                        }
                    } else if (closing(consumer)) {
                        return;
                    }
                }
            });
            AtomicLong confirmed = new AtomicLong();
            Thread confirming = reader(publisher, "warren-warmup-reader-2", () -> {
                while (true) {
                    publisher.readFrame();
                    if (publisher.isMethod(60, 80)) { // basic.ack: tags are in order, multiple or not
                        confirmed.set(publisher.ackedTag());
                    } else if (closing(publisher)) {
                        return;
                    }
                }
            });
            byte[] batch = batch();
            long published = 0;
            long persistent = 0;
            while (!stop.getAsBoolean()) {
                publisher.write(batch);
                published += TRANSIENT_PER_BATCH + PERSISTENT_PER_BATCH;
                persistent += PERSISTENT_PER_BATCH;
            }
            // an interrupt (the node is stopping) ends the traffic, not this orderly end, which takes milliseconds
            boolean interrupted = Thread.interrupted();
            try {
                // every persistent message confirmed before closing: the broker is closed right after, and its log
                // must not still be syncing for a connection that is gone
                long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
                while (confirmed.get() < persistent && System.nanoTime() < deadline && confirming.isAlive()) {
                    Thread.sleep(5);
                }
                byte[] close = WarmUpConnection.encode(0, new ConnectionClose(200, "warm-up done", 0, 0));
                publisher.write(close);
                consumer.write(close);
                confirming.join(timeoutMillis);
                consuming.join(timeoutMillis);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Result(published, delivered.get());
        }
    }

    /** Whether the last frame read ends the connection (close-ok for ours, or the broker's connection.close). */
    private static boolean closing(WarmUpConnection c) {
        return c.isMethod(10, 51) || c.isMethod(10, 50);
    }

    /** One write's worth of publishes: 32 transient on channel 1, then 8 persistent on channel 2. */
    private static byte[] batch() {
        byte[] transientOne = WarmUpConnection.encodePublish(1, new BasicPublish("", TRANSIENT_QUEUE, false, false),
            BODY, 1);
        byte[] persistentOne = WarmUpConnection.encodePublish(2,
            new BasicPublish("", PERSISTENT_QUEUE, false, false), BODY, 2);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < TRANSIENT_PER_BATCH; i++) {
            b.writeBytes(transientOne);
        }
        for (int i = 0; i < PERSISTENT_PER_BATCH; i++) {
            b.writeBytes(persistentOne);
        }
        return b.toByteArray();
    }

    private interface Reading {
        void run() throws IOException;
    }

    /** A daemon thread that reads until the connection ends; a read error (socket closed under it) ends it quietly. */
    private static Thread reader(WarmUpConnection c, String name, Reading body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // the socket was closed or timed out: the warm-up is ending either way
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
