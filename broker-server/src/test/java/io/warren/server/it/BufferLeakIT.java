package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.amqp.generated.BasicPublish;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs a mix of everything that holds or hands over message buffers (publish, consume, ack, nack, reject, requeue,
 * returns, get, transactions, confirms, purge, delete, channel and connection closes, a connection lost mid-message)
 * under Netty's paranoid leak detection, then collects garbage and checks with {@link LeakCheck} that Netty reported
 * no LEAK.
 */
class BufferLeakIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aMixOfPublishConsumeAckRequeueAndClosesLeaksNoBuffer() throws Exception {
    assertThat(System.getProperty("io.netty.leakDetection.level")).as("surefire argLine").isEqualToIgnoringCase(
        "paranoid");
    try (LeakCheck check = LeakCheck.start()) {
      for (int round = 0; round < 3; round++) {
        runMix("leak-" + round);
      }
      assertThat(check.leaks()).as("Netty leak reports").isEmpty();
    }
  }

  private void runMix(String q) throws Exception {
    Random random = new Random(q.hashCode());
    try (Connection conn = broker.connect(); Connection other = broker.connect()) {
      Channel pub = conn.createChannel();
      pub.confirmSelect();
      pub.queueDeclare(q, false, false, false, null);
      pub.queueDeclare(q + "-copy", false, false, false, null);
      pub.exchangeDeclare(q + "-fan", "fanout", false, true, null);
      pub.queueBind(q, q + "-fan", "");
      pub.queueBind(q + "-copy", q + "-fan", "");
      pub.addReturnListener(r -> { });
      for (int i = 0; i < 300; i++) {
        byte[] body = new byte[random.nextInt(3) == 0 ? 200_000 : random.nextInt(2000)];
        random.nextBytes(body);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
            .headers(i % 7 == 0 ? Map.of("BCC", List.of(q + "-copy"), "n", i) : Map.of("n", i)).build();
        switch (i % 4) {
          case 0 -> pub.basicPublish("", q, props, body);
          case 1 -> pub.basicPublish(q + "-fan", "", props, body); // shared by two queues
          case 2 -> pub.basicPublish("amq.direct", "nowhere", true, props, body); // returned
          default -> pub.basicPublish("amq.direct", "nowhere", false, props, body); // dropped
        }
      }
      pub.waitForConfirmsOrDie(30_000);

      // a transaction rolled back and one committed
      Channel tx = conn.createChannel();
      tx.txSelect();
      tx.basicPublish("", q, null, new byte[5000]);
      tx.txRollback();
      tx.basicPublish("", q, null, new byte[5000]);
      tx.txCommit();
      tx.basicPublish("", q, null, new byte[5000]); // left pending when the channel closes
      tx.close();

      // consumers that ack, nack with and without requeue, reject, and one closed with unacked messages
      Channel c1 = conn.createChannel();
      c1.basicQos(20);
      AtomicInteger seen = new AtomicInteger();
      c1.basicConsume(q, false, new com.rabbitmq.client.DefaultConsumer(c1) {
        @Override
        public void handleDelivery(String tag, com.rabbitmq.client.Envelope env, AMQP.BasicProperties p, byte[] b)
            throws java.io.IOException {
          int n = seen.incrementAndGet();
          long t = env.getDeliveryTag();
          try {
            switch (n % 5) {
              case 0 -> c1.basicAck(t, false);
              case 1 -> c1.basicNack(t, false, !env.isRedeliver());
              case 2 -> c1.basicReject(t, false);
              case 3 -> c1.basicAck(t, true);
              default -> { } // stays unacked until the channel closes
            }
          } catch (com.rabbitmq.client.AlreadyClosedException e) {
            // the test closed the channel meanwhile: what is unacked goes back, which is part of the mix
          }
        }
      });
      Channel c2 = other.createChannel();
      c2.basicConsume(q + "-copy", true, new com.rabbitmq.client.DefaultConsumer(c2));
      Channel getter = other.createChannel();
      for (int i = 0; i < 20; i++) {
        getter.basicGet(q, i % 2 == 0);
      }
      getter.basicRecover(true); // the unacked gets go back (no consumer here to race with)
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.get() >= 50);
      getter.close();
      c1.close();

      // an exclusive queue that goes with its connection, holding messages
      Channel excl = other.createChannel();
      String ex = excl.queueDeclare().getQueue();
      for (int i = 0; i < 10; i++) {
        excl.basicPublish("", ex, null, new byte[3000]);
      }
      excl.basicGet(ex, false); // unacked when the connection goes

      pub.queuePurge(q + "-copy");
      pub.queueDelete(q);
    }
    // a connection lost in the middle of a message's body frames
    try (RawAmqpClient raw = RawAmqpClient.open(broker.port())) {
      raw.openChannel(1);
      raw.send(1, new BasicPublish("", q + "-copy", false, false));
      raw.sendHeader(1, 60, 100_000);
      raw.sendBody(1, new byte[50_000]);
      raw.abort();
    }
    try (Connection conn = broker.connect()) {
      conn.createChannel().queueDelete(q + "-copy");
    }
  }
}
