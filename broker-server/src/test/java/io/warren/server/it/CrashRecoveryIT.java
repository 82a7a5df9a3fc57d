package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a broker running in its own JVM while publishers with confirms (and a consumer acking) are busy: every
 * confirmed message must come back exactly once and in order, and nothing acked well before the kill.
 */
class CrashRecoveryIT {
  private static final int PUBLISHERS = 3;
  private static final int BATCH = 20;

  @TempDir
  Path dataDir;
  @TempDir
  Path logDir;
  private BrokerProcess broker;

  @BeforeEach
  void create() {
    broker = new BrokerProcess(dataDir, logDir);
  }

  @AfterEach
  void kill() {
    broker.close();
  }

  /** Publishes persistent messages "seq" in confirmed batches until the broker dies; returns the confirmed ones. */
  private List<Long> publishUntilKilled(String queue, long firstSeq, AtomicBoolean stop) {
    List<Long> confirmed = new ArrayList<>();
    long seq = firstSeq;
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      while (!stop.get()) {
        List<Long> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++, seq++) {
          ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
          batch.add(seq);
        }
        ch.waitForConfirmsOrDie(5000);
        confirmed.addAll(batch);
      }
    } catch (Exception | Error e) {
      // the kill: the batch in flight is unconfirmed
    }
    return confirmed;
  }

  private static List<Long> drain(Channel ch, String queue) throws IOException {
    List<Long> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      out.add(Long.parseLong(new String(r.getBody(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void confirmedMessagesSurviveKillNineExactlyOnceInOrder() throws Exception {
    broker.start();
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      for (int p = 0; p < PUBLISHERS; p++) {
        ch.queueDeclare("crash-" + p, true, false, false, null);
      }
    }
    long seqBase = 0;
    for (int round = 0; round < 3; round++) {
      AtomicBoolean stop = new AtomicBoolean();
      List<List<Long>> confirmed = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        List<Long> mine = new ArrayList<>();
        confirmed.add(mine);
        String q = "crash-" + p;
        long first = seqBase;
        Thread t = new Thread(() -> mine.addAll(publishUntilKilled(q, first, stop)), "publisher-" + p);
        t.start();
        threads.add(t);
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(400, 1200)); // the random moment of the crash
      broker.kill();
      stop.set(true);
      for (Thread t : threads) {
        t.join(10_000);
      }
      broker.start();
      try (Connection c = broker.connect()) {
        Channel ch = c.createChannel();
        for (int p = 0; p < PUBLISHERS; p++) {
          List<Long> found = drain(ch, "crash-" + p);
          assertThat(confirmed.get(p)).as("round %d publisher %d confirmed something", round, p).isNotEmpty();
          assertThat(found).as("round %d queue %d in order, no duplicates", round, p).isSorted().doesNotHaveDuplicates();
          assertThat(found).as("round %d queue %d has every confirmed message", round, p)
              .containsAll(confirmed.get(p));
        }
      }
      seqBase += 10_000_000;
    }
  }

  @Test
  void messagesAckedBeforeTheCrashDoNotComeBack() throws Exception {
    broker.start();
    Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
    try (Connection c = broker.connect()) {
      c.createChannel().queueDeclare("acked", true, false, false, null);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread publisher = new Thread(() -> publishUntilKilled("acked", 0, stop), "publisher");
    publisher.start();
    Connection consumerConn = broker.connect();
    Channel cc = consumerConn.createChannel();
    cc.basicQos(50);
    cc.basicConsume("acked", false, new DefaultConsumer(cc) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
        long seq = Long.parseLong(new String(body, StandardCharsets.UTF_8));
        ackedAt.put(seq, System.nanoTime());
        getChannel().basicAck(env.getDeliveryTag(), false);
      }
    });
    Thread.sleep(ThreadLocalRandom.current().nextInt(600, 1200));
    long killedAt = System.nanoTime();
    broker.kill();
    stop.set(true);
    publisher.join(10_000);
    try {
      consumerConn.abort();
    } catch (Exception ignored) {
      // already gone
    }
    assertThat(ackedAt).isNotEmpty();
    broker.start();
    Set<Long> back;
    try (Connection c = broker.connect()) {
      back = Set.copyOf(drain(c.createChannel(), "acked"));
    }
    List<Long> ackedLongBefore = ackedAt.entrySet().stream()
        .filter(e -> killedAt - e.getValue() > 100_000_000L).map(Map.Entry::getKey).toList();
    assertThat(ackedLongBefore).isNotEmpty();
    assertThat(back).as("acked more than 100 ms before the kill").doesNotContainAnyElementsOf(ackedLongBefore);
  }
}
