package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.awaitConnectionClosed;
import static io.warren.server.it.CloseReasons.connectionError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.server.auth.PasswordHash;
import io.warren.server.registry.InvalidDefinitionException;
import io.warren.server.registry.Registry;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vhost limits (max-connections, max-queues) and user limits (max-connections, max-channels) set at run time and
 * enforced with RabbitMQ's codes and texts (checked against RabbitMQ 3.10). One broker; each test has its own vhost.
 */
class RegistryLimitsIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Registry registry() {
    return broker.broker().registry();
  }

  private static void team(String vhost, String user) {
    registry().putVhost(vhost, "", List.of());
    registry().putUser(user, PasswordHash.of("pw"), List.of());
    registry().setPermission(user, vhost, ".*", ".*", ".*");
  }

  private static Connection connect(String vhost, String user) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setVirtualHost(vhost);
    f.setUsername(user);
    f.setPassword("pw");
    return f.newConnection();
  }

  @Test
  void vhostConnectionLimit() throws Exception {
    team("lim-conn", "lc");
    registry().setVhostLimits("lim-conn", 1, -1);
    Connection first = connect("lim-conn", "lc");
    AMQP.Connection.Close refused = connectionError(() -> connect("lim-conn", "lc"));
    assertThat(refused.getReplyCode()).isEqualTo(530);
    assertThat(refused.getReplyText()).isEqualTo(
        "NOT_ALLOWED - access to vhost 'lim-conn' refused for user 'lc': connection limit (1) is reached");
    assertThat(refused.getClassId()).isEqualTo(10);
    assertThat(refused.getMethodId()).isEqualTo(40);
    first.close();
    connect("lim-conn", "lc").close(); // the slot is free again
    registry().setVhostLimits("lim-conn", -1, -1);
    assertThat(registry().vhostLimits()).noneMatch(l -> l.vhost().equals("lim-conn"));
    try (Connection a = connect("lim-conn", "lc"); Connection b = connect("lim-conn", "lc")) {
      assertThat(a.isOpen() && b.isOpen()).isTrue();
    }
  }

  @Test
  void userConnectionLimitCountsAcrossVhosts() throws Exception {
    team("lim-user-a", "lu");
    registry().putVhost("lim-user-b", "", List.of());
    registry().setPermission("lu", "lim-user-b", ".*", ".*", ".*");
    registry().setUserLimits("lu", 2, -1);
    try (Connection a = connect("lim-user-a", "lu"); Connection b = connect("lim-user-b", "lu")) {
      AMQP.Connection.Close refused = connectionError(() -> connect("lim-user-a", "lu"));
      assertThat(refused.getReplyCode()).isEqualTo(530);
      assertThat(refused.getReplyText())
          .isEqualTo("NOT_ALLOWED - connection refused for user 'lu': user connection limit (2) is reached");
    }
  }

  @Test
  void vhostQueueLimit() throws Exception {
    team("lim-q", "lq");
    registry().setVhostLimits("lim-q", -1, 1);
    try (Connection c = connect("lim-q", "lq")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("q1", false, false, false, null);
      ch.queueDeclare("q1", false, false, false, null); // redeclaring an existing queue is no new queue
      assertChannelError(() -> ch.queueDeclare("q2", false, false, false, null), 406,
          "PRECONDITION_FAILED - cannot declare queue 'q2': queue limit in vhost 'lim-q' (1) is reached");
      Channel ch2 = c.createChannel();
      ch2.queueDelete("q1");
      ch2.queueDeclare("q2", false, false, false, null);
    }
  }

  @Test
  void userChannelLimitClosesTheConnectionAsRabbitMqDoes() throws Exception {
    team("lim-ch", "lch");
    registry().setUserLimits("lch", -1, 2);
    Connection c = connect("lim-ch", "lch");
    Channel one = c.createChannel();
    c.createChannel();
    one.close();
    Channel three = c.createChannel(); // a closed channel no longer counts
    assertThat(three).isNotNull();
    Assertions.catchThrowable(c::createChannel);
    AMQP.Connection.Close close = awaitConnectionClosed(c);
    assertThat(close.getReplyCode()).isEqualTo(530);
    assertThat(close.getReplyText()).isEqualTo(
        "NOT_ALLOWED - number of channels opened for user 'lch' has reached the maximum allowed user limit of (2)");
    // the closed connection's channels are counted down
    try (Connection again = connect("lim-ch", "lch")) {
      again.createChannel();
      again.createChannel();
    }
  }

  @Test
  void limitsSurviveARestartAndBadLimitsAreRefused() throws Exception {
    team("lim-r", "lr");
    registry().setVhostLimits("lim-r", 5, 7);
    registry().setUserLimits("lr", 3, 4);
    Assertions.assertThatThrownBy(() -> registry().setVhostLimits("lim-r", -2, 0))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("max-connections");
    broker.restart();
    assertThat(registry().vhostLimits()).anySatisfy(l -> {
      assertThat(l.vhost()).isEqualTo("lim-r");
      assertThat(l.maxConnections()).isEqualTo(5);
      assertThat(l.maxQueues()).isEqualTo(7);
    });
    assertThat(registry().userLimits()).anySatisfy(l -> {
      assertThat(l.user()).isEqualTo("lr");
      assertThat(l.maxChannels()).isEqualTo(4);
    });
    assertThat(broker.broker().vhost("lim-r").maxQueues()).isEqualTo(7);
  }
}
