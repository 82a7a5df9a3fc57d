package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.warren.server.config.ConfigLoader;
import io.warren.server.config.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Policies from the configuration applied to matching queues, declared or recovered. */
class PolicyIT {
  private static BrokerFixture broker;

  private static final String POLICIES = """
      warren.policies = [
        { name = ttl, pattern = "^ttl\\\\.", apply-to = queues, definition { message-ttl = 100 } }
        { name = short, pattern = "^lim\\\\.", definition { max-length = 2 } }
        { name = shorter, pattern = "^lim\\\\.one", priority = 5, definition { max-length = 1 } }
        { name = dl, pattern = "^dl\\\\.", definition { dead-letter-exchange = "", dead-letter-routing-key = "dlq" } }
        { name = exchanges-only, pattern = "^other", apply-to = exchanges, definition { alternate-exchange = "x" } }
        { name = ae, pattern = "^ae\\\\.", apply-to = exchanges, definition { alternate-exchange = "ae-fallback" } }
      ]
      """;

  @BeforeAll
  static void start() throws Exception {
    Path file = Files.createTempFile("warren-policies", ".conf");
    Files.writeString(file, POLICIES);
    Policies policies = ConfigLoader.load(file, Map.of(), new Properties()).policies();
    Files.delete(file);
    broker = BrokerFixture.start(cfg -> cfg.withPolicies(policies));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void publish(Channel ch, String q, int n) throws Exception {
    ch.confirmSelect();
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, new byte[] {(byte) i});
    }
    ch.waitForConfirmsOrDie(5000);
  }

  @Test
  void anAlternateExchangeByPolicyCatchesUnroutedMessagesUnlessTheArgumentSetsAnother() throws Exception {
    try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("ae-fallback", "fanout", false, true, null);
      ch.queueDeclare("ae-caught", false, false, true, null);
      ch.queueBind("ae-caught", "ae-fallback", "");
      ch.exchangeDeclare("ae-own", "fanout", false, true, null);
      ch.queueDeclare("ae-own-caught", false, false, true, null);
      ch.queueBind("ae-own-caught", "ae-own", "");
      ch.exchangeDeclare("ae.by-policy", "direct", false, true, null);
      ch.exchangeDeclare("ae.by-argument", "direct", false, true, Map.of("alternate-exchange", "ae-own"));
      ch.exchangeDeclare("no-policy", "direct", false, true, null);
      ch.queueDeclare("ae-anchor", false, false, true, null); // keeps the auto-delete exchanges alive
      for (String x : new String[] {"ae.by-policy", "ae.by-argument", "no-policy"}) {
        ch.queueBind("ae-anchor", x, "bound");
      }
      ch.confirmSelect();
      ch.basicPublish("ae.by-policy", "unbound", null, "p".getBytes());
      ch.basicPublish("ae.by-argument", "unbound", null, "a".getBytes());
      ch.basicPublish("no-policy", "unbound", null, "n".getBytes());
      ch.waitForConfirmsOrDie(5000);
      assertThat(new String(ch.basicGet("ae-caught", true).getBody())).isEqualTo("p");
      assertThat(ch.basicGet("ae-caught", true)).isNull();
      assertThat(new String(ch.basicGet("ae-own-caught", true).getBody())).isEqualTo("a");
      assertThat(ch.basicGet("ae-own-caught", true)).isNull();
      assertThat(ch.basicGet("ae-anchor", true)).isNull();
    }
  }

  @Test
  void messageTtlAppliesToMatchingQueuesOnly() throws Exception {
    try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
      ch.queueDeclare("ttl.a", false, false, true, null);
      ch.queueDeclare("other.ttl.a", false, false, true, null);
      publish(ch, "ttl.a", 2);
      publish(ch, "other.ttl.a", 2);
      await().atMost(Duration.ofSeconds(5)).until(() -> ch.queueDeclarePassive("ttl.a").getMessageCount() == 0);
      assertThat(ch.queueDeclarePassive("other.ttl.a").getMessageCount()).isEqualTo(2);
    }
  }

  @Test
  void theHighestPriorityPolicyWinsAndTheLowerLengthApplies() throws Exception {
    try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
      ch.queueDeclare("lim.two", false, false, true, null);
      ch.queueDeclare("lim.one", false, false, true, null);
      ch.queueDeclare("lim.arg-higher", false, false, true, Map.of("x-max-length", 5));
      ch.queueDeclare("lim.arg-lower", false, false, true, Map.of("x-max-length", 1));
      for (String q : new String[] {"lim.two", "lim.one", "lim.arg-higher", "lim.arg-lower"}) {
        publish(ch, q, 4);
      }
      assertThat(ch.queueDeclarePassive("lim.two").getMessageCount()).isEqualTo(2);
      assertThat(ch.queueDeclarePassive("lim.one").getMessageCount()).isEqualTo(1);
      // as RabbitMQ: for lengths and TTLs the lower of argument and policy applies
      assertThat(ch.queueDeclarePassive("lim.arg-higher").getMessageCount()).isEqualTo(2);
      assertThat(ch.queueDeclarePassive("lim.arg-lower").getMessageCount()).isEqualTo(1);
      // drop-head: the newest stay
      assertThat(BasicGets.one(ch, "lim.two").getBody()).containsExactly(2);
    }
  }

  @Test
  void deadLetteringByPolicyAndQueueArgumentsWin() throws Exception {
    try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
      ch.queueDeclare("dlq", false, false, true, null);
      ch.queueDeclare("mine", false, false, true, null);
      ch.queueDeclare("dl.policy", false, false, true, null);
      ch.queueDeclare("dl.arg", false, false, true, Map.of("x-dead-letter-routing-key", "mine",
          "x-dead-letter-exchange", ""));
      publish(ch, "dl.policy", 1);
      publish(ch, "dl.arg", 1);
      ch.basicReject(BasicGetsManual.one(ch, "dl.policy").getEnvelope().getDeliveryTag(), false);
      ch.basicReject(BasicGetsManual.one(ch, "dl.arg").getEnvelope().getDeliveryTag(), false);
      assertThat(BasicGets.one(ch, "dlq").getEnvelope().getRoutingKey()).isEqualTo("dlq");
      assertThat(BasicGets.one(ch, "mine").getEnvelope().getRoutingKey()).isEqualTo("mine");
    }
  }

  @Test
  void policiesApplyToQueuesRecoveredAtStartup() throws Exception {
    try (BrokerFixture own = BrokerFixture.start(cfg -> cfg.withPolicies(broker.broker().config().policies()))) {
      try (Connection c = own.connect(); Channel ch = c.createChannel()) {
        ch.queueDeclare("lim.durable", true, false, false, null);
      }
      own.restart();
      try (Connection c = own.connect(); Channel ch = c.createChannel()) {
        publish(ch, "lim.durable", 5);
        assertThat(ch.queueDeclarePassive("lim.durable").getMessageCount()).isEqualTo(2);
      }
    }
  }

  /** basic.get without auto-ack, retried until the message is there. */
  private static final class BasicGetsManual {
    static com.rabbitmq.client.GetResponse one(Channel ch, String queue) {
      return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
          .until(() -> ch.basicGet(queue, false), r -> r != null);
    }
  }
}
