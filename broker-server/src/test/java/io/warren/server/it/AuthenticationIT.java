package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ConnectionClose;
import io.warren.amqp.generated.ConnectionOpen;
import io.warren.amqp.generated.ConnectionOpenOk;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.amqp.generated.ConnectionTune;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login and vhost access as RabbitMQ does them: PLAIN and AMQPLAIN, 403 ACCESS_REFUSED for bad credentials (which
 * the Java client turns into AuthenticationFailureException), 530 NOT_ALLOWED for a vhost that is missing or not
 * permitted. The loopback-only rule for guest is unit-tested in AccessControlTest: tests cannot connect from a
 * non-loopback address.
 */
class AuthenticationIT {
  /** Client properties of a client that asks to be told of a failed login with connection.close. */
  private static final Map<String, Object> CLOSE_CAPABLE =
      Map.of("capabilities", Map.of("authentication_failure_close", true));
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start(cfg -> {
      List<User> users = new ArrayList<>(cfg.users());
      users.add(new User("alice", PasswordHash.of("wonderland"), List.of(), false));
      users.add(new User("bob", PasswordHash.of("builder"), List.of(), false));
      List<Permission> perms = new ArrayList<>(cfg.permissions());
      perms.add(new Permission("alice", "/", ".*", ".*", ".*"));
      perms.add(new Permission("alice", "other", ".*", ".*", ".*"));
      perms.add(new Permission("bob", "other", ".*", ".*", ".*")); // bob has nothing in "/"
      List<String> vhosts = new ArrayList<>(cfg.vhosts());
      vhosts.add("other");
      // a short failed-login delay keeps this class fast; LoginFailureIT checks the default one
      return cfg.withAccess(users, vhosts, perms).withLimits(cfg.limits().withFailedLoginDelay(50));
    });
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static ConnectionFactory as(String user, String password) {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(password);
    return f;
  }

  @Test
  void plainLogsIn() throws Exception {
    try (Connection conn = as("alice", "wonderland").newConnection()) {
      assertThat(conn.isOpen()).isTrue();
      assertThat(conn.createChannel().queueDeclare().getQueue()).startsWith("amq.gen-");
    }
  }

  @Test
  void amqplainLogsInWithTheJavaClient() throws Exception {
    ConnectionFactory f = as("alice", "wonderland");
    f.setSaslConfig(AmqPlain.config());
    try (Connection conn = f.newConnection()) {
      assertThat(conn.createChannel().queueDeclare().getQueue()).startsWith("amq.gen-");
    }
  }

  @Test
  void amqplainLogsInWithTheRawClient() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      ConnectionTune tune = c.login("AMQPLAIN", LongString.copyOf(AmqPlain.response("guest", "guest")));
      assertThat(tune.channelMax()).isPositive();
      c.tune(tune.channelMax(), (int) tune.frameMax(), 0);
      c.send(0, new ConnectionOpen("/"));
      c.expect(ConnectionOpenOk.class);
      c.openChannel(1);
    }
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> as("alice", "looking-glass").newConnection())
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessage("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. "
            + "For details see the broker logfile.");
  }

  @Test
  void anUnknownUserIsAnAuthenticationFailureToo() {
    assertThatThrownBy(() -> as("mallory", "guess").newConnection())
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessageStartingWith("ACCESS_REFUSED - Login was refused");
  }

  @Test
  void aWrongAmqplainPasswordIsAnAuthenticationFailure() {
    ConnectionFactory f = as("alice", "nope");
    f.setSaslConfig(AmqPlain.config());
    assertThatThrownBy(f::newConnection)
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessageContaining("authentication mechanism AMQPLAIN");
  }

  @Test
  void refusedLoginIsConnectionClose403OnTheWire() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      c.send(0, new ConnectionStartOk(CLOSE_CAPABLE, "PLAIN",
          LongString.copyOf("\0guest\0wrong".getBytes(StandardCharsets.UTF_8)), "en_US"));
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(403);
      assertThat(close.replyText()).startsWith("ACCESS_REFUSED - Login was refused");
    }
  }

  @Test
  void malformedResponsesAndUnknownMechanismsAreRefused() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      c.send(0, new ConnectionStartOk(CLOSE_CAPABLE, "PLAIN",
          LongString.copyOf("no-nul-bytes".getBytes(StandardCharsets.UTF_8)), "en_US"));
      assertThat(c.expectConnectionClose().replyCode()).isEqualTo(403);
    }
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      c.send(0, new ConnectionStartOk(CLOSE_CAPABLE, "AMQPLAIN",
          LongString.copyOf(new byte[] {5, 'L', 'O'}), "en_US"));
      assertThat(c.expectConnectionClose().replyCode()).isEqualTo(403);
    }
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      c.send(0, new ConnectionStartOk(Map.of(), "SCRAM-SHA-256",
          LongString.EMPTY, "en_US"));
      ConnectionClose close = c.expectConnectionClose();
      assertThat(close.replyCode()).isEqualTo(503);
      assertThat(close.replyText()).contains("unknown authentication mechanism 'SCRAM-SHA-256'");
    }
  }

  @Test
  void anUnknownVhostIsNotAllowed() {
    ConnectionFactory f = as("alice", "wonderland");
    f.setVirtualHost("nowhere");
    AMQP.Connection.Close close = openFailure(f);
    assertThat(close.getReplyCode()).isEqualTo(530);
    assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - vhost nowhere not found");
  }

  @Test
  void aVhostWithoutPermissionsIsNotAllowed() {
    AMQP.Connection.Close close = openFailure(as("bob", "builder"));
    assertThat(close.getReplyCode()).isEqualTo(530);
    assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - access to vhost '/' refused for user 'bob'");
  }

  @Test
  void aPermittedNonDefaultVhostOpens() throws Exception {
    ConnectionFactory f = as("bob", "builder");
    f.setVirtualHost("other");
    try (Connection conn = f.newConnection()) {
      assertThat(conn.createChannel().queueDeclare().getQueue()).startsWith("amq.gen-");
    }
  }

  /** connection.open refused: the Java client reports the connection.close inside an IOException. */
  private static AMQP.Connection.Close openFailure(ConnectionFactory f) {
    Throwable t = catchThrowable(f::newConnection);
    assertThat(t).as("connection.open should have been refused").isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ShutdownSignalException s) {
        assertThat(s.isHardError()).isTrue();
        return (AMQP.Connection.Close) s.getReason();
      }
    }
    throw new AssertionError("expected a ShutdownSignalException, got " + t, t);
  }
}
