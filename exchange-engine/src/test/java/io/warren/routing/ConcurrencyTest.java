package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void routingWhileOtherThreadsChangeBindingsNeverFails() throws Exception {
        Fixture f = new Fixture();
        f.declare("t", ExchangeType.TOPIC);
        f.declare("d", ExchangeType.DIRECT);
        f.declare("h", ExchangeType.HEADERS);
        f.bindQueue("t", "stable", "#");
        f.bindExchange("t", "d", "a.*");
        for (int i = 0; i < 50; i++) f.queues("q" + i);

        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        String q = "q" + (i % 50);
                        Binding topic = new Binding("t", Destination.queue(q), "a." + (i % 7) + ".#");
                        Binding direct = new Binding("d", Destination.queue(q), "a." + writer);
                        Binding headers = new Binding("h", Destination.queue(q), "", Map.of("k", i % 3));
                        f.vhost.bind(topic);
                        f.vhost.bind(direct);
                        f.vhost.bind(headers);
                        if (i % 3 == 0) f.vhost.unbind(topic);
                        if (i % 5 == 0) f.vhost.removeDestination(Destination.queue(q));
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 4; r++) {
                tasks.add(pool.submit(() -> {
                    start.await();
                    long routed = 0;
                    while (!stop.get()) {
                        routed += f.route("t", "a." + (routed % 7) + ".x").size();
                        assertThat(f.route("t", "a.1")).contains("stable");
                        routed += f.route("h", "", Map.of("k", (int) (routed % 3))).size();
                        routed += f.route("d", "a.0", Map.of("CC", List.of("a.1"))).size();
                    }
                    return routed;
                }));
            }
            start.countDown();
            for (Future<?> writer : tasks.subList(0, 2)) writer.get(60, TimeUnit.SECONDS);
            stop.set(true);
            for (Future<?> task : tasks) task.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        // After the dust settles the snapshot and the destination index agree.
        for (Binding binding : f.vhost.bindings()) {
            assertThat(f.vhost.bindingsTo(binding.destination())).contains(binding);
        }
    }
}
