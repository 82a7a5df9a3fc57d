package io.warren.server.it;

import static io.warren.server.it.DeathHeaders.count;
import static io.warren.server.it.DeathHeaders.header;
import static io.warren.server.it.DeathHeaders.xDeath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queue features together: TTL + dead-lettering + a length limit on one queue, message priorities under a prefetch
 * limit, a single active consumer chosen by consumer priority (with failover and a higher-priority takeover), and a
 * TTL + DLX retry loop.
 */
class InteractionsIT {
  private static BrokerFixture broker;
  private Connection conn;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void open() {
    conn = broker.connect();
  }

  @AfterEach
  void close() throws Exception {
    conn.close();
  }

  private static AMQP.BasicProperties priority(int p) {
    return new AMQP.BasicProperties.Builder().priority(p).build();
  }

  @Test
  void ttlDeadLetteringAndMaxLengthOnOneQueue() throws Exception {
    Channel ch = conn.createChannel();
    ch.queueDeclare("ix.all.dlq", false, false, false, null);
    ch.queueDeclare("ix.all", false, false, false, Map.of("x-message-ttl", 300, "x-max-length", 3,
        "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "ix.all.dlq"));
    ch.confirmSelect();
    for (int i = 0; i < 5; i++) {
      ch.basicPublish("", "ix.all", null, new byte[] {(byte) i});
    }
    ch.waitForConfirmsOrDie(5000);
    // the two oldest make room at once; the three kept expire together later
    Channel look = conn.createChannel();
    List<String> seen = new CopyOnWriteArrayList<>();
    look.basicConsume("ix.all.dlq", true, new DefaultConsumer(look) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
        seen.add(body[0] + ":" + xDeath(props).get(0).get("reason"));
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 5);
    assertThat(seen).containsExactly("0:maxlen", "1:maxlen", "2:expired", "3:expired", "4:expired");
    assertThat(ch.messageCount("ix.all")).isZero();
  }

  @Test
  void priorityQueueUnderPrefetchOneDeliversHighestFirstAndFifoWithinAPriority() throws Exception {
    Channel ch = conn.createChannel();
    ch.queueDeclare("ix.prio", false, false, false, Map.of("x-max-priority", 5));
    ch.confirmSelect();
    int[] priorities = {1, 5, 3, 5, 0, 9, 2}; // 9 counts as the maximum, 5
    for (int i = 0; i < priorities.length; i++) {
      ch.basicPublish("", "ix.prio", priority(priorities[i]), new byte[] {(byte) i});
    }
    ch.waitForConfirmsOrDie(5000);
    Channel consumerCh = conn.createChannel();
    consumerCh.basicQos(1);
    CollectingConsumer c = new CollectingConsumer(consumerCh);
    consumerCh.basicConsume("ix.prio", false, c);
    c.awaitCount(1);
    // published while the first is unacked: it must overtake everything of a lower priority still waiting
    ch.basicPublish("", "ix.prio", priority(4), new byte[] {7});
    ch.waitForConfirmsOrDie(5000);
    for (int n = 1; n <= 8; n++) {
      consumerCh.basicAck(c.get(n - 1).tag(), false);
      if (n < 8) {
        c.awaitCount(n + 1);
      }
    }
    assertThat(c.firstBytes()).containsExactly(1, 3, 5, 7, 2, 6, 0, 4);
  }

  @Test
  void singleActiveConsumerFollowsConsumerPriorityOnFailover() throws Exception {
    Channel setup = conn.createChannel();
    setup.queueDeclare("ix.sac", false, false, false, Map.of("x-single-active-consumer", true));
    Channel highCh = conn.createChannel();
    Channel lowCh = conn.createChannel();
    Channel midCh = conn.createChannel();
    CollectingConsumer high = new CollectingConsumer(highCh);
    CollectingConsumer low = new CollectingConsumer(lowCh);
    CollectingConsumer mid = new CollectingConsumer(midCh);
    highCh.basicConsume("ix.sac", false, "high", false, false, Map.of("x-priority", 10), high);
    lowCh.basicConsume("ix.sac", false, "low", false, false, Map.of("x-priority", 1), low);
    midCh.basicConsume("ix.sac", false, "mid", false, false, Map.of("x-priority", 5), mid);
    for (int i = 0; i < 4; i++) {
      setup.basicPublish("", "ix.sac", null, new byte[] {(byte) i});
    }
    high.awaitCount(4);
    assertThat(low.count() + mid.count()).as("only the active consumer gets messages").isZero();
    highCh.basicAck(high.get(1).tag(), true);

    // the active consumer's channel closes: its two unacked go, redelivered, to the next by priority (mid, not the
    // older low)
    highCh.close();
    mid.awaitCount(2);
    assertThat(mid.firstBytes()).containsExactly(2, 3);
    assertThat(mid.deliveries).allMatch(CollectingConsumer.Delivery::redelivered);
    setup.basicPublish("", "ix.sac", null, new byte[] {4});
    mid.awaitCount(3);
    assertThat(low.count()).isZero();

    // mid is cancelled (after acking): low takes over for new messages
    midCh.basicAck(mid.last().tag(), true);
    midCh.basicCancel("mid");
    setup.basicPublish("", "ix.sac", null, new byte[] {5});
    low.awaitCount(1);
    assertThat(low.get(0).first()).isEqualTo(5);
    assertThat(mid.count()).isEqualTo(3);
  }

  @Test
  void aHigherPrioritySingleActiveConsumerTakesOverOnceTheActiveOneAckedEverything() throws Exception {
    Channel setup = conn.createChannel();
    setup.queueDeclare("ix.sac.switch", false, false, true, Map.of("x-single-active-consumer", true));
    setup.confirmSelect();
    Channel aCh = conn.createChannel();
    aCh.basicQos(2);
    CollectingConsumer a = new CollectingConsumer(aCh);
    aCh.basicConsume("ix.sac.switch", false, "a", false, false, Map.of("x-priority", 0), a);
    for (int i = 0; i < 5; i++) {
      setup.basicPublish("", "ix.sac.switch", null, new byte[] {(byte) i});
    }
    setup.waitForConfirmsOrDie(5000);
    a.awaitCount(2);

    Channel bCh = conn.createChannel();
    CollectingConsumer b = new CollectingConsumer(bCh);
    bCh.basicConsume("ix.sac.switch", false, "b", false, false, Map.of("x-priority", 10), b);
    // a's first ack gives it prefetch room again, but the queue is switching: nobody gets anything
    aCh.basicAck(a.get(0).tag(), false);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> a.count() == 2 && b.count() == 0);

    aCh.basicAck(a.get(1).tag(), false);
    b.awaitCount(3);
    assertThat(b.firstBytes()).containsExactly(2, 3, 4);
    assertThat(a.count()).isEqualTo(2);
    bCh.basicAck(b.last().tag(), true);
    await().atMost(Duration.ofSeconds(5)).until(() -> setup.messageCount("ix.sac.switch") == 0);
    setup.queueDelete("ix.sac.switch");
  }

  @Test
  void aTtlRetryLoopEndsAfterTheWantedRoundsCountedByXDeath() throws Exception {
    int rounds = 5;
    Channel ch = conn.createChannel();
    ch.queueDeclare("ix.retry.work", false, false, false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "ix.retry.wait"));
    ch.queueDeclare("ix.retry.wait", false, false, false, Map.of("x-message-ttl", 20,
        "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "ix.retry.work"));
    AtomicInteger deliveries = new AtomicInteger();
    AtomicReference<AMQP.BasicProperties> done = new AtomicReference<>();
    Channel worker = conn.createChannel();
    worker.basicConsume("ix.retry.work", false, new DefaultConsumer(worker) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
          throws IOException {
        deliveries.incrementAndGet();
        if (count(props, "ix.retry.work", "rejected") < rounds - 1) {
          getChannel().basicReject(env.getDeliveryTag(), false); // fail: off to the wait queue
        } else {
          getChannel().basicAck(env.getDeliveryTag(), false);
          done.set(props);
        }
      }
    });
    ch.basicPublish("", "ix.retry.work", null, "job".getBytes());
    await().atMost(Duration.ofSeconds(10)).until(() -> done.get() != null);
    assertThat(deliveries.get()).isEqualTo(rounds);
    AMQP.BasicProperties p = done.get();
    assertThat(xDeath(p)).extracting(d -> d.get("queue") + "/" + d.get("reason") + "/" + d.get("count"))
        .containsExactly("ix.retry.wait/expired/4", "ix.retry.work/rejected/4");
    assertThat(header(p, "x-first-death-queue")).isEqualTo("ix.retry.work");
    assertThat(header(p, "x-first-death-reason")).isEqualTo("rejected");
    assertThat(header(p, "x-last-death-queue")).isEqualTo("ix.retry.wait");
    assertThat(header(p, "x-last-death-reason")).isEqualTo("expired");
    await().atMost(Duration.ofSeconds(2)).until(() -> ch.messageCount("ix.retry.wait") == 0
        && ch.messageCount("ix.retry.work") == 0);
  }
}
