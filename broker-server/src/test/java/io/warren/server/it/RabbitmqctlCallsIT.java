package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static io.warren.server.it.CloseReasons.awaitConnectionClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoverableConnection;
import com.rabbitmq.client.RecoveryListener;
import io.warren.ctl.Warrenctl;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * warrenctl called the way RabbitMQ's own client test suites call rabbitmqctl ({@code rabbitmqctl -n node verb ...}),
 * against a real broker, the effects checked through the Java client: finding a connection in list_connections' pid,
 * peer_port and client_properties columns and closing it so that the client recovers, closing all connections, and
 * the impersonator tag. One broker for the class.
 */
class RabbitmqctlCallsIT {
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** rabbitmqctl's calling convention: the node first, no --host. */
  private static String rabbitmqctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--port", Integer.toString(broker.broker().management().port()),
        "-n", "rabbit@127.0.0.1"));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Warrenctl.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        new BufferedReader(new StringReader("")));
    assertThat(code).as("exit code of %s; stderr: %s", all, err).isZero();
    return out.toString();
  }

  /** The pid of the connection whose client port or connection_name matches, read as the suites read the table. */
  private static String pidOf(int localPort, String connectionName) {
    for (String line : rabbitmqctl("list_connections", "-q", "pid", "peer_port", "client_properties").split("\n")) {
      String[] columns = line.split("\t");
      if (columns.length < 3 || !columns[1].matches("\\d+")) {
        continue; // the header line
      }
      boolean named = connectionName != null
          && columns[2].contains("{\"connection_name\",\"" + connectionName + "\"}");
      if (named || (connectionName == null && Integer.parseInt(columns[1]) == localPort)) {
        return columns[0];
      }
    }
    return null;
  }

  @Test
  void aConnectionFoundByItsPortOrNameAndClosedByPidRecoversWithItsTopology() throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(100);
    Connection plain = broker.connect(); // closed by the broker below
    try (Connection named = factory.newConnection("recovering-app")) {
      Channel ch = named.createChannel();
      String q = "rabbitmqctl-recovered";
      ch.queueDeclare(q, false, true, true, null); // exclusive: gone with the connection, declared again by recovery
      CountDownLatch recovered = new CountDownLatch(1);
      ((Recoverable) named).addRecoveryListener(new RecoveryListener() {
        @Override
        public void handleRecovery(Recoverable r) {
          recovered.countDown();
        }

        @Override
        public void handleRecoveryStarted(Recoverable r) {
        }
      });
      String pid = pidOf(-1, "recovering-app");
      assertThat(pid).isNotNull();
      rabbitmqctl("close_connection", pid, "Closed via rabbitmqctl");
      assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(named.isOpen()).isTrue();
      ch.basicPublish("", q, null, "after".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.basicGet(q, true) != null);

      String byPort = pidOf(((com.rabbitmq.client.impl.NetworkConnection) plain).getLocalPort(), null);
      assertThat(byPort).isNotNull().isNotEqualTo(pid);
      rabbitmqctl("close_connection", byPort, "by port");
      AMQP.Connection.Close reason = awaitConnectionClosed(plain);
      assertThat(reason.getReplyCode()).isEqualTo(320);
      assertThat(reason.getReplyText()).contains("by port");
      assertThat(named.isOpen()).isTrue();
    } finally {
      plain.abort();
    }
  }

  @Test
  void closeAllConnectionsClosesEveryConnectionOfTheVhost() throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(100);
    List<RecoverableConnection> connections = new ArrayList<>();
    CountDownLatch recovered = new CountDownLatch(3);
    try {
      for (int i = 0; i < 3; i++) {
        RecoverableConnection c = (RecoverableConnection) factory.newConnection();
        c.addRecoveryListener(new RecoveryListener() {
          @Override
          public void handleRecovery(Recoverable r) {
            recovered.countDown();
          }

          @Override
          public void handleRecoveryStarted(Recoverable r) {
          }
        });
        connections.add(c);
      }
      rabbitmqctl("close_all_connections", "Closed via rabbitmqctl");
      assertThat(recovered.await(10, TimeUnit.SECONDS)).as("every connection was closed and recovered").isTrue();
    } finally {
      for (RecoverableConnection c : connections) {
        c.abort(5000);
      }
    }
  }

  @Test
  void anImpersonatorMayPublishWithAnotherUsersIdOthersMayNot() throws Exception {
    AMQP.BasicProperties asSomeoneElse = new AMQP.BasicProperties.Builder().userId("not-guest").build();
    rabbitmqctl("set_user_tags", "guest", "administrator", "impersonator");
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, asSomeoneElse, "signed".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive(q).getMessageCount() == 1);
      assertThat(ch.basicGet(q, true).getProps().getUserId()).isEqualTo("not-guest");
    } finally {
      rabbitmqctl("set_user_tags", "guest", "administrator");
    }
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      ch.basicPublish("amq.fanout", "", asSomeoneElse, new byte[0]);
      AMQP.Channel.Close refused = awaitChannelClosed(ch);
      assertThat(refused.getReplyCode()).isEqualTo(406);
      assertThat(refused.getReplyText()).contains("user_id property set to 'not-guest'");
    }
  }

  @Test
  void topicPermissionsWithTheUsernameVariable() throws Exception {
    try (Connection c = broker.connect()) {
      c.createChannel().exchangeDeclare("suite.topic", "topic");
      rabbitmqctl("set_topic_permissions", "-p", "/", "guest", "suite.topic", "^{username}", "^{username}");
      try {
        Channel ch = c.createChannel();
        ch.basicPublish("suite.topic", "guest.orders", null, new byte[0]);
        ch.basicPublish("suite.topic", "someone-else.orders", null, new byte[0]);
        AMQP.Channel.Close refused = awaitChannelClosed(ch);
        assertThat(refused.getReplyCode()).isEqualTo(403);
        assertThat(refused.getReplyText()).contains("access to topic 'someone-else.orders'");
      } finally {
        rabbitmqctl("clear_topic_permissions", "-p", "/", "guest");
      }
      Channel after = c.createChannel();
      after.basicPublish("suite.topic", "someone-else.orders", null, new byte[0]);
      after.queueDeclare(); // a round trip: the publish was not refused
      assertThat(after.isOpen()).isTrue();
      after.exchangeDelete("suite.topic");
    }
  }

  @Test
  void aUserVhostAndPermissionsAddedAsTheSuitesAddThemApplyAtOnce() throws Exception {
    rabbitmqctl("add_user", "suite-user", "suite-pw");
    rabbitmqctl("add_vhost", "suite-vhost");
    try {
      rabbitmqctl("set_permissions", "-p", "suite-vhost", "suite-user", "configure-me", "write-me", "read-me");
      ConnectionFactory factory = broker.factory();
      factory.setUsername("suite-user");
      factory.setPassword("suite-pw");
      factory.setVirtualHost("suite-vhost");
      try (Connection c = factory.newConnection()) {
        c.createChannel().queueDeclare("configure-me", false, false, false, null);
        Channel refused = c.createChannel();
        try {
          refused.queueDeclare("elsewhere", false, false, false, null);
        } catch (java.io.IOException expected) {
          // checked below
        }
        assertThat(refused.getCloseReason().getReason()).isInstanceOf(AMQP.Channel.Close.class);
        assertThat(((AMQP.Channel.Close) refused.getCloseReason().getReason()).getReplyCode()).isEqualTo(403);
      }
    } finally {
      rabbitmqctl("delete_vhost", "suite-vhost");
      rabbitmqctl("delete_user", "suite-user");
    }
  }
}
