package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.server.auth.PasswordHash;
import io.warren.server.registry.InvalidDefinitionException;
import io.warren.server.registry.NotFoundException;
import io.warren.server.registry.Registry;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topic permissions as RabbitMQ enforces them: write on a topic exchange's routing key at publish, read on the binding
 * key at bind, {username} and {vhost} expanded, other exchange types untouched, 403 ACCESS_REFUSED with RabbitMQ's
 * text; set, changed and cleared at run time.
 */
class TopicPermissionsIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
    Registry r = broker.broker().registry();
    r.putVhost("topics", "", List.of());
    r.putUser("ann", PasswordHash.of("pw"), List.of());
    r.setPermission("ann", "topics", ".*", ".*", ".*");
    r.setTopicPermission("ann", "topics", "amq.topic", "^{username}\\.", "^eu\\.|^{vhost}\\.");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Connection connect() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setVirtualHost("topics");
    f.setUsername("ann");
    f.setPassword("pw");
    return f.newConnection();
  }

  @Test
  void publishChecksTheRoutingKeyAgainstWrite() throws Exception {
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("mine", false, false, false, null);
      ch.queueBind("mine", "amq.topic", "eu.#");
      ch.confirmSelect();
      ch.basicPublish("amq.topic", "ann.orders", null, "ok".getBytes());
      ch.waitForConfirmsOrDie(5000);
      ch.basicPublish("amq.topic", "bob.orders", null, "no".getBytes());
      AMQP.Channel.Close close = awaitChannelClosed(ch);
      assertThat(close.getReplyCode()).isEqualTo(403);
      assertThat(close.getReplyText()).isEqualTo(
          "ACCESS_REFUSED - access to topic 'bob.orders' in exchange 'amq.topic' in vhost 'topics' refused for user 'ann'");
      Channel direct = c.createChannel();
      direct.confirmSelect();
      direct.basicPublish("amq.direct", "bob.orders", null, "fine".getBytes()); // not a topic exchange
      direct.waitForConfirmsOrDie(5000);
    }
  }

  @Test
  void bindChecksTheBindingKeyAgainstRead() throws Exception {
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("bound", false, false, false, null);
      ch.queueBind("bound", "amq.topic", "eu.orders.#");
      ch.queueBind("bound", "amq.topic", "topics.all"); // {vhost} expanded
      assertChannelError(() -> ch.queueBind("bound", "amq.topic", "us.#"), 403,
          "ACCESS_REFUSED - access to topic 'us.#' in exchange 'amq.topic' in vhost 'topics' refused for user 'ann'");
      Channel unbind = c.createChannel();
      assertChannelError(() -> unbind.queueUnbind("bound", "amq.topic", "us.#"), 403,
          "ACCESS_REFUSED - access to topic 'us.#' in exchange 'amq.topic' in vhost 'topics' refused for user 'ann'");
      Channel ch2 = c.createChannel();
      ch2.queueUnbind("bound", "amq.topic", "eu.orders.#");
      ch2.exchangeDeclare("downstream", "fanout");
      assertChannelError(() -> ch2.exchangeBind("downstream", "amq.topic", "us.#"), 403,
          "ACCESS_REFUSED - access to topic 'us.#' in exchange 'amq.topic' in vhost 'topics' refused for user 'ann'");
    }
  }

  @Test
  void changesApplyToOpenChannelsAndSurviveARestart() throws Exception {
    Registry r = broker.broker().registry();
    r.putUser("cy", PasswordHash.of("pw"), List.of());
    r.setPermission("cy", "topics", ".*", ".*", ".*");
    ConnectionFactory f = broker.factory();
    f.setVirtualHost("topics");
    f.setUsername("cy");
    f.setPassword("pw");
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.basicPublish("amq.topic", "x", null, "1".getBytes()); // no topic permission: everything allowed
      ch.waitForConfirmsOrDie(5000);
      r.setTopicPermission("cy", "topics", "amq.topic", "^y$", "");
      ch.basicPublish("amq.topic", "x", null, "2".getBytes());
      assertThat(awaitChannelClosed(ch).getReplyCode()).isEqualTo(403);
    }
    broker.restart();
    assertThat(broker.broker().registry().topicPermissions())
        .anySatisfy(p -> assertThat(p.user() + " " + p.write()).isEqualTo("cy ^y$"));
    Registry after = broker.broker().registry();
    after.clearTopicPermission("cy", "topics", null);
    assertThat(after.topicPermissions()).noneMatch(p -> p.user().equals("cy"));
    Assertions.assertThatThrownBy(() -> after.clearTopicPermission("cy", "topics", "amq.topic"))
        .isInstanceOf(NotFoundException.class);
    Assertions.assertThatThrownBy(() -> after.setTopicPermission("cy", "topics", "amq.topic", "(", ""))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("invalid topic permission pattern");
  }
}
