package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exchanges of type {@code x-delayed-message} (the RabbitMQ delayed-message plugin's): declare checks, routing as the
 * {@code x-delayed-type}, messages held for {@code x-delay} ms (not early, at most a little late), in due order,
 * confirmed, kept across a restart, dropped when their exchange is gone, without leaking buffers.
 */
class DelayedExchangeIT {
  /** How late a delayed message may arrive in these tests (the target is 50 ms; CI machines are slow). */
  private static final long LATE_MS = 300;
  private static final String INVALID = "PRECONDITION_FAILED - Invalid argument, 'x-delayed-type' must be an "
      + "existing exchange type";

  private final BrokerFixture broker = BrokerFixture.start();

  @AfterEach
  void stop() {
    broker.close();
  }

  /** One delivery: when it arrived, its body and headers. */
  record Arrival(long at, String body, Map<String, Object> headers) {}

  /** Records arrivals with the wall clock, acking each. */
  static final class Recorder extends DefaultConsumer {
    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    Recorder(Channel ch) {
      super(ch);
    }

    @Override
    public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
      arrivals.add(new Arrival(System.currentTimeMillis(), new String(body, StandardCharsets.UTF_8),
          props.getHeaders() == null ? Map.of() : props.getHeaders()));
      getChannel().basicAck(env.getDeliveryTag(), false);
    }
  }

  private static Map<String, Object> delayed(String type) {
    return Map.of("x-delayed-type", type);
  }

  private static AMQP.BasicProperties delay(Object ms) {
    Map<String, Object> h = new HashMap<>();
    h.put("x-delay", ms);
    return new AMQP.BasicProperties.Builder().headers(h).deliveryMode(2).build();
  }

  private static String closeText(Channel ch, ThrowingAction action) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(action::run);
    assertThat(t).isNotNull();
    assertThat(ch.isOpen()).isFalse();
    return ch.getCloseReason().getReason() instanceof AMQP.Channel.Close c ? c.getReplyCode() + " " + c.getReplyText()
        : String.valueOf(ch.getCloseReason().getReason());
  }

  interface ThrowingAction {
    void run() throws Exception;
  }

  @Test
  void declareNeedsAnExistingDelayedType() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      assertThat(closeText(ch, () -> ch.exchangeDeclare("d", "x-delayed-message", true, false, null)))
          .isEqualTo("406 " + INVALID);
      Channel ch2 = c.createChannel();
      assertThat(closeText(ch2, () -> ch2.exchangeDeclare("d", "x-delayed-message", true, false,
          Map.of("x-delayed-type", 7)))).isEqualTo("406 " + INVALID);
      Channel ch3 = c.createChannel();
      assertThat(closeText(ch3, () -> ch3.exchangeDeclare("d", "x-delayed-message", true, false, delayed("nope"))))
          .isEqualTo("406 PRECONDITION_FAILED - unknown exchange type 'nope'");
      Channel ok = c.createChannel();
      ok.exchangeDeclare("d", "x-delayed-message", true, false, delayed("direct"));
      ok.exchangeDeclare("d", "x-delayed-message", true, false, delayed("direct")); // equivalent
      assertThat(closeText(ok, () -> ok.exchangeDeclare("d", "direct", true))).startsWith(
          "406 PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'd' in vhost '/'");
    }
  }

  @Test
  void routesAsTheDelayedTypeAfterTheDelay() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("dd", "x-delayed-message", true, false, delayed("direct"));
      ch.exchangeDeclare("dt", "x-delayed-message", true, false, delayed("topic"));
      for (String q : List.of("qa", "qb", "qt")) {
        ch.queueDeclare(q, true, false, false, null);
      }
      ch.queueBind("qa", "dd", "a");
      ch.queueBind("qb", "dd", "b");
      ch.queueBind("qt", "dt", "x.*");
      Recorder ra = new Recorder(ch);
      Recorder rb = new Recorder(ch);
      Recorder rt = new Recorder(ch);
      ch.basicConsume("qa", false, ra);
      ch.basicConsume("qb", false, rb);
      ch.basicConsume("qt", false, rt);
      ch.confirmSelect();
      long sent = System.currentTimeMillis();
      ch.basicPublish("dd", "a", delay(300), "to-a".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("dt", "x.y", delay(200), "to-t".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("dt", "y.x", delay(200), "nowhere".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
      await().atMost(Duration.ofSeconds(5)).until(() -> ra.arrivals.size() == 1 && rt.arrivals.size() == 1);
      Arrival a = ra.arrivals.get(0);
      Arrival t = rt.arrivals.get(0);
      assertThat(a.body()).isEqualTo("to-a");
      assertThat(a.at() - sent).as("not early").isGreaterThanOrEqualTo(300).isLessThan(300 + LATE_MS);
      assertThat(t.body()).isEqualTo("to-t");
      assertThat(t.at() - sent).as("not early").isGreaterThanOrEqualTo(200).isLessThan(200 + LATE_MS);
      // delivered with x-delay negated, as the plugin does
      assertThat(a.headers()).containsEntry("x-delay", -300);
      assertThat(rb.arrivals).isEmpty();
      assertThat(broker.broker().schedule().size()).isZero();
    }
  }

  @Test
  void messagesArriveInDueOrderNotPublishOrder() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("fan", "x-delayed-message", false, false, delayed("fanout"));
      ch.queueDeclare("ordered", false, false, false, null);
      ch.queueBind("ordered", "fan", "");
      Recorder r = new Recorder(ch);
      ch.basicConsume("ordered", false, r);
      long sent = System.currentTimeMillis();
      // Each delay counts from the moment the broker takes that publish in; the delays are 200 ms apart so that a
      // loaded machine handling the six publishes over a longer while still sees them due in this order.
      for (int ms : new int[] {1200, 200, 800, 400, 1000}) {
        ch.basicPublish("fan", "", delay(ms), Integer.toString(ms).getBytes(StandardCharsets.UTF_8));
      }
      ch.basicPublish("fan", "", delay("600"), "600".getBytes(StandardCharsets.UTF_8)); // a string, as the plugin
      await().atMost(Duration.ofSeconds(6)).until(() -> r.arrivals.size() == 6);
      assertThat(r.arrivals).extracting(Arrival::body).containsExactly("200", "400", "600", "800", "1000", "1200");
      for (Arrival a : r.arrivals) {
        long ms = Long.parseLong(a.body());
        assertThat(a.at() - sent).as("message due after %d ms", ms).isGreaterThanOrEqualTo(ms)
            .isLessThan(ms + LATE_MS);
      }
    }
  }

  @Test
  void withoutAPositiveDelayTheMessageIsRoutedAtOnce() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("now", "x-delayed-message", false, false, delayed("direct"));
      ch.queueDeclare("q", false, false, false, null);
      ch.queueBind("q", "now", "k");
      ch.basicPublish("now", "k", null, "no-headers".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("now", "k", delay(0), "zero".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("now", "k", delay(-100), "negative".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("now", "k", delay("soon"), "not-a-number".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("now", "k", delay(60_000), "later".getBytes(StandardCharsets.UTF_8));
      // x-delay on a plain exchange means nothing
      ch.basicPublish("", "q", delay(60_000), "plain".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(2)).until(() -> ch.messageCount("q") == 5);
      List<String> bodies = new java.util.ArrayList<>();
      GetResponse g;
      while ((g = ch.basicGet("q", true)) != null) {
        bodies.add(new String(g.getBody(), StandardCharsets.UTF_8));
      }
      assertThat(bodies).containsExactly("no-headers", "zero", "negative", "not-a-number", "plain");
      assertThat(broker.broker().schedule().size()).isEqualTo(1);
    }
  }

  @Test
  void mandatoryIsCheckedWhenPublished() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("m", "x-delayed-message", false, false, delayed("direct"));
      ch.queueDeclare("mq", false, false, false, null);
      ch.queueBind("mq", "m", "bound");
      AtomicInteger returns = new AtomicInteger();
      ch.addReturnListener(r -> returns.incrementAndGet());
      ch.confirmSelect();
      ch.basicPublish("m", "unbound", true, delay(100), "r".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("m", "bound", true, delay(100), "d".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("mq") == 1);
      assertThat(returns.get()).isEqualTo(1);
    }
  }

  @Test
  void aDeletedExchangeDropsItsDueMessages() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("gone", "x-delayed-message", true, false, delayed("direct"));
      ch.queueDeclare("gq", true, false, false, null);
      ch.queueBind("gq", "gone", "k");
      ch.confirmSelect();
      ch.basicPublish("gone", "k", delay(200), "x".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
      ch.exchangeDelete("gone");
      assertThat(broker.broker().schedule().size()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().schedule().size() == 0);
      assertThat(ch.messageCount("gq")).isZero();
    }
    broker.restart(); // and the dropped message does not come back
    try (Connection c2 = broker.connect()) {
      assertThat(c2.createChannel().messageCount("gq")).isZero();
    }
    assertThat(broker.broker().schedule().size()).isZero();
  }

  @Test
  void scheduledMessagesSurviveARestart() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare("dur", "x-delayed-message", true, false, delayed("direct"));
      ch.queueDeclare("dq", true, false, false, null);
      ch.queueBind("dq", "dur", "k");
      ch.confirmSelect();
      for (int i = 0; i < 20; i++) {
        ch.basicPublish("dur", "k", delay(i < 10 ? 50 : 1500), ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(5000);
    }
    long restartedAt = System.currentTimeMillis();
    broker.restart();
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      // the overdue ones (and maybe some already delivered before the stop) are there at once; the rest when due
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("dq") == 20);
      assertThat(System.currentTimeMillis() - restartedAt).isGreaterThanOrEqualTo(1000);
      List<String> bodies = new java.util.ArrayList<>();
      GetResponse g;
      while ((g = ch.basicGet("dq", true)) != null) {
        bodies.add(new String(g.getBody(), StandardCharsets.UTF_8));
      }
      assertThat(bodies).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
    }
    broker.restart(); // fired messages are acked out of the schedule: nothing comes back twice
    assertThat(broker.broker().schedule().size()).isZero();
  }

  @Test
  void noBufferLeaks() throws Exception {
    try (LeakCheck check = LeakCheck.start()) {
      try (Connection c = broker.connect()) {
        Channel ch = c.createChannel();
        ch.exchangeDeclare("leak", "x-delayed-message", true, false, delayed("headers"));
        ch.queueDeclare("lq", true, false, false, null);
        ch.queueBind("lq", "leak", "", Map.of("x-match", "any", "k", "v"));
        ch.confirmSelect();
        for (int i = 0; i < 50; i++) {
          Map<String, Object> h = new HashMap<>(Map.of("x-delay", 20 + i, "k", "v"));
          if (i % 5 == 0) {
            h.put("BCC", List.of("lq"));
          }
          ch.basicPublish("leak", "", i % 2 == 0, new AMQP.BasicProperties.Builder().headers(h)
              .deliveryMode(1 + i % 2).build(), new byte[1000 + i]);
          ch.basicPublish("leak", "", true, delay(20), new byte[10]); // no header match: returned
        }
        ch.waitForConfirmsOrDie(5000);
        await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount("lq") == 50);
        ch.queuePurge("lq");
      }
      assertThat(check.leaks()).as("Netty leak reports").isEmpty();
    }
  }

  @Test
  void aClientCannotDeclareTheSchedulersQueue() throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      assertThatThrownBy(() -> ch.queueDeclare("amq.warren.scheduled", true, false, false, null))
          .isInstanceOf(IOException.class);
      assertThat(ch.getCloseReason().getMessage()).contains("403");
    }
  }
}
