package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.server.registry.InvalidDefinitionException;
import io.warren.server.registry.NotFoundException;
import io.warren.server.registry.Registry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies set, changed and cleared at run time apply at once to existing queues and exchanges, as in RabbitMQ, and
 * stay across a restart.
 */
class RuntimePolicyIT {
  private BrokerFixture broker;
  private Connection conn;
  private Channel ch;

  @BeforeEach
  void start() throws Exception {
    broker = BrokerFixture.start();
    conn = broker.connect();
    ch = conn.createChannel();
  }

  @AfterEach
  void stop() throws Exception {
    if (conn.isOpen()) {
      conn.close();
    }
    broker.close();
  }

  private Registry registry() {
    return broker.broker().registry();
  }

  private int count(String queue) throws Exception {
    return ch.queueDeclarePassive(queue).getMessageCount();
  }

  @Test
  void maxLengthPolicyTrimsAnExistingQueueAtOnceAndClearingItLiftsTheLimit() throws Exception {
    ch.queueDeclare("p.q", true, false, false, null);
    for (int i = 0; i < 5; i++) {
      ch.basicPublish("", "p.q", null, ("m" + i).getBytes());
    }
    await().until(() -> count("p.q") == 5);
    registry().setPolicy("/", "cap", "^p\\.", "queues", 0, Map.of("max-length", 2));
    assertThat(count("p.q")).isEqualTo(2);
    assertThat(ch.basicGet("p.q", true).getBody()).asString().isEqualTo("m3"); // drop-head kept the newest
    ch.basicPublish("", "p.q", null, "m5".getBytes());
    ch.basicPublish("", "p.q", null, "m6".getBytes());
    assertThat(count("p.q")).isEqualTo(2);
    registry().clearPolicy("/", "cap");
    ch.basicPublish("", "p.q", null, "m7".getBytes());
    assertThat(count("p.q")).isEqualTo(3);
  }

  @Test
  void messageTtlPolicyAppliesToNewMessagesOfAnExistingQueueAndSurvivesARestart() throws Exception {
    ch.queueDeclare("ttl.q", true, false, false, null);
    ch.basicPublish("", "ttl.q", null, "before".getBytes());
    registry().setPolicy("/", "short", "^ttl\\.", "all", 1, Map.of("message-ttl", 200));
    ch.basicPublish("", "ttl.q", null, "after".getBytes());
    // as in RabbitMQ, a message keeps the expiry it got on arrival and only heads expire: "before" has none
    assertThat(ch.basicGet("ttl.q", true).getBody()).asString().isEqualTo("before");
    await().atMost(Duration.ofSeconds(5)).until(() -> count("ttl.q") == 0);
    conn.close();
    broker.restart();
    conn = broker.connect();
    ch = conn.createChannel();
    assertThat(registry().findPolicy("/", "short")).get().satisfies(p -> {
      assertThat(p.priority()).isEqualTo(1);
      assertThat(p.definition().toMap()).isEqualTo(Map.of("message-ttl", 200L));
    });
    ch.basicPublish("", "ttl.q", null, "later".getBytes());
    await().atMost(Duration.ofSeconds(5)).until(() -> count("ttl.q") == 0);
  }

  @Test
  void deadLetterPolicyOnAnExistingQueue() throws Exception {
    ch.queueDeclare("work", false, false, false, null);
    ch.queueDeclare("dead", false, false, false, null);
    ch.exchangeDeclare("dlx", "fanout");
    ch.queueBind("dead", "dlx", "");
    registry().setPolicy("/", "dl", "^work$", "queues", 0, Map.of("dead-letter-exchange", "dlx"));
    ch.basicPublish("", "work", null, "x".getBytes());
    var got = ch.basicGet("work", false);
    ch.basicReject(got.getEnvelope().getDeliveryTag(), false);
    await().atMost(Duration.ofSeconds(5)).until(() -> count("dead") == 1);
  }

  @Test
  void alternateExchangePolicyAppliesToAnExistingExchange() throws Exception {
    ch.exchangeDeclare("orders", "direct", true);
    ch.exchangeDeclare("unrouted", "fanout", true);
    ch.queueDeclare("catch-all", true, false, false, null);
    ch.queueBind("catch-all", "unrouted", "");
    ch.basicPublish("orders", "nowhere", null, "lost".getBytes());
    registry().setPolicy("/", "ae", "^orders$", "exchanges", 0, Map.of("alternate-exchange", "unrouted"));
    ch.basicPublish("orders", "nowhere", null, "caught".getBytes());
    await().atMost(Duration.ofSeconds(5)).until(() -> count("catch-all") == 1);
    assertThat(ch.basicGet("catch-all", true).getBody()).asString().isEqualTo("caught");
  }

  @Test
  void badPoliciesAreRefusedWithRabbitMqStyleMessages() {
    assertThatThrownBy(() -> registry().setPolicy("/", "bad", "^x", "queues", 0, Map.of("message-ttl", -1)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("definition.message-ttl: -1 is not a valid message TTL");
    assertThatThrownBy(() -> registry().setPolicy("/", "bad", "(", "queues", 0, Map.of("max-length", 1)))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("not a valid regular expression");
    assertThatThrownBy(() -> registry().setPolicy("/", "bad", "x", "streams", 0, Map.of("max-length", 1)))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("apply-to");
    assertThatThrownBy(() -> registry().setPolicy("/", "bad", "x", "all", 0, Map.of("no-such-key", 1)))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("unknown policy key");
    assertThatThrownBy(() -> registry().setPolicy("nowhere", "p", "x", "all", 0, Map.of("max-length", 1)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> registry().clearPolicy("/", "never-set")).isInstanceOf(NotFoundException.class);
    assertThat(registry().policyDefinitions()).isEmpty();
  }
}
