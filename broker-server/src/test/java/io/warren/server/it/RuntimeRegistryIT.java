package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.awaitConnectionClosed;
import static io.warren.server.it.CloseReasons.connectionError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.warren.server.auth.PasswordHash;
import io.warren.server.registry.InvalidDefinitionException;
import io.warren.server.registry.NotFoundException;
import io.warren.server.registry.Registry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vhosts, users and permissions provisioned through the registry's Java API while the broker runs, used over AMQP at
 * once, changed, deleted (closing connections with RabbitMQ's 320 texts), and kept across a restart.
 */
class RuntimeRegistryIT {
  private BrokerFixture broker;

  @BeforeEach
  void start() {
    broker = BrokerFixture.start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Registry registry() {
    return broker.broker().registry();
  }

  private void provisionTeam(String vhost, String user) {
    registry().putVhost(vhost, "team vhost", List.of("team"));
    registry().putUser(user, PasswordHash.of(user + "-pw"), List.of("management"));
    registry().setPermission(user, vhost, ".*", ".*", ".*");
  }

  private Connection connect(String vhost, String user) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setVirtualHost(vhost);
    f.setUsername(user);
    f.setPassword(user + "-pw");
    return f.newConnection();
  }

  @Test
  void aTeamProvisionedAtRunTimeWorksAtOnceAndSurvivesARestart() throws Exception {
    provisionTeam("team-a", "ann");
    try (Connection c = connect("team-a", "ann")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("work", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "work", MessageProperties.PERSISTENT_TEXT_PLAIN, "job".getBytes());
      ch.waitForConfirmsOrDie(5000);
    }
    assertThat(registry().findVhost("team-a")).get().satisfies(v -> {
      assertThat(v.description()).isEqualTo("team vhost");
      assertThat(v.tags()).containsExactly("team");
    });
    broker.restart();
    assertThat(registry().findUser("ann")).get().satisfies(u -> assertThat(u.tags()).containsExactly("management"));
    try (Connection c = connect("team-a", "ann")) {
      assertThat(c.createChannel().basicGet("work", true).getBody()).asString().isEqualTo("job");
    }
  }

  @Test
  void theRegistrySurvivesSnapshotsAndASecondRestart() throws Exception {
    provisionTeam("team-b", "bob");
    registry().deleteUser("guest");
    registry().writeSnapshot();
    registry().putUser("carl", PasswordHash.of("carl-pw"), List.of());
    registry().setPermission("carl", "team-b", "", "", ".*");
    broker.restart();
    broker.restart();
    assertThat(registry().users()).extracting(u -> u.name()).containsExactlyInAnyOrder("bob", "carl");
    assertThat(registry().findPermission("team-b", "carl")).get().satisfies(p -> assertThat(p.read()).isEqualTo(".*"));
    try (Connection c = connect("team-b", "carl")) {
      assertThat(c.isOpen()).isTrue();
    }
    assertThatThrownBy(() -> broker.connect()).hasStackTraceContaining("ACCESS_REFUSED");
  }

  @Test
  void permissionsChangeTakesEffectForTheNextOperation() throws Exception {
    provisionTeam("team-c", "cat");
    try (Connection c = connect("team-c", "cat")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("before", false, false, false, null);
      ch.basicPublish("", "before", null, "1".getBytes());
      registry().setPermission("cat", "team-c", "^(mine|x)$", "^amq\\.default$", ".*");
      assertChannelError(() -> ch.queueDeclare("after", false, false, false, null), 403,
          "ACCESS_REFUSED - access to queue 'after' in vhost 'team-c' refused for user 'cat'");
      Channel ch2 = c.createChannel();
      ch2.exchangeDeclare("x", "direct");
      ch2.basicPublish("x", "k", null, "2".getBytes()); // first write on 'x': refused (closes the channel)
      await().atMost(Duration.ofSeconds(5)).until(() -> !ch2.isOpen());
      assertThat(((AMQP.Channel.Close) ch2.getCloseReason().getReason()).getReplyText())
          .isEqualTo("ACCESS_REFUSED - access to exchange 'x' in vhost 'team-c' refused for user 'cat'");
    }
  }

  @Test
  void aPublisherCachedPermissionIsCheckedAgainAfterAChange() throws Exception {
    provisionTeam("team-d", "dan");
    try (Connection c = connect("team-d", "dan")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("q", false, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "q", null, "1".getBytes());
      ch.waitForConfirmsOrDie(5000);
      registry().setPermission("dan", "team-d", ".*", "^nothing$", ".*");
      ch.basicPublish("", "q", null, "2".getBytes());
      await().atMost(Duration.ofSeconds(5)).until(() -> !ch.isOpen());
      assertThat(((AMQP.Channel.Close) ch.getCloseReason().getReason()).getReplyText())
          .isEqualTo("ACCESS_REFUSED - access to exchange 'amq.default' in vhost 'team-d' refused for user 'dan'");
    }
  }

  @Test
  void deletingAVhostClosesItsConnectionsAndDeletesItsQueuesForGood() throws Exception {
    provisionTeam("team-e", "eve");
    Connection c = connect("team-e", "eve");
    Channel ch = c.createChannel();
    ch.queueDeclare("durable-q", true, false, false, null);
    ch.confirmSelect();
    ch.basicPublish("", "durable-q", MessageProperties.PERSISTENT_TEXT_PLAIN, "m".getBytes());
    ch.waitForConfirmsOrDie(5000);
    try (Connection other = broker.connect()) {
      registry().deleteVhost("team-e");
      AMQP.Connection.Close close = awaitConnectionClosed(c);
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - vhost 'team-e' is deleted");
      assertThat(other.isOpen()).as("a connection to another vhost").isTrue();
    }
    assertThat(registry().findVhost("team-e")).isEmpty();
    assertThat(registry().findPermission("team-e", "eve")).isEmpty();
    assertThat(connectionError(() -> connect("team-e", "eve")).getReplyText())
        .isEqualTo("NOT_ALLOWED - vhost team-e not found");
    // created again under the same name, it starts empty, also after a restart
    provisionTeam("team-e", "eve");
    broker.restart();
    try (Connection again = connect("team-e", "eve")) {
      Channel ch2 = again.createChannel();
      assertChannelError(() -> ch2.queueDeclarePassive("durable-q"), 404,
          "NOT_FOUND - no queue 'durable-q' in vhost 'team-e'");
    }
  }

  @Test
  void deletingAUserClosesItsConnectionsOnly() throws Exception {
    provisionTeam("team-f", "fay");
    registry().putUser("gus", PasswordHash.of("gus-pw"), List.of());
    registry().setPermission("gus", "team-f", ".*", ".*", ".*");
    Connection fay = connect("team-f", "fay");
    try (Connection gus = connect("team-f", "gus")) {
      registry().deleteUser("fay");
      AMQP.Connection.Close close = awaitConnectionClosed(fay);
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - user 'fay' is deleted");
      assertThat(gus.isOpen()).isTrue();
    }
    assertThat(registry().findPermission("team-f", "fay")).isEmpty();
    assertThatThrownBy(() -> connect("team-f", "fay")).hasStackTraceContaining("ACCESS_REFUSED");
  }

  @Test
  void aNewPasswordForALoopbackOnlyUserKeepsItLoopbackOnly() throws Exception {
    registry().putUser("guest", PasswordHash.of("changed"), List.of("administrator"));
    assertThat(registry().findUser("guest")).get().satisfies(u -> assertThat(u.loopbackOnly()).isTrue());
    ConnectionFactory f = broker.factory();
    f.setPassword("changed");
    try (Connection c = f.newConnection()) {
      assertThat(c.isOpen()).isTrue();
    }
    assertThat(broker.broker().accessControl().user("guest").loopbackOnly()).isTrue();
  }

  @Test
  void badDefinitionsAreRefusedWithReadableErrorsAndChangeNothing() {
    assertThatThrownBy(() -> registry().putVhost("", null, null)).isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("vhost name must not be empty");
    assertThatThrownBy(() -> registry().setPermission("guest", "/", "(", ".*", ".*"))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("not a valid regular expression");
    assertThatThrownBy(() -> registry().setPermission("nobody", "/", ".*", ".*", ".*"))
        .isInstanceOf(NotFoundException.class).hasMessage("user 'nobody' does not exist");
    assertThatThrownBy(() -> registry().setPermission("guest", "nowhere", ".*", ".*", ".*"))
        .isInstanceOf(NotFoundException.class).hasMessage("vhost 'nowhere' does not exist");
    assertThatThrownBy(() -> registry().deleteVhost("nowhere")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> registry().closeConnection("1.2.3.4:5 -> 6.7.8.9:10", null))
        .isInstanceOf(NotFoundException.class);
    assertThat(registry().findPermission("/", "guest")).get()
        .satisfies(p -> assertThat(p.configure()).isEqualTo(".*"));
  }

  @Test
  void liveConnectionsAreListedAndCanBeClosedByName() throws Exception {
    Connection c = broker.connect();
    {
      c.createChannel();
      await().atMost(Duration.ofSeconds(5)).until(() -> registry().connections().list().size() == 1);
      var info = registry().connections().list().get(0).info();
      assertThat(info.name()).matches("127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + broker.port());
      assertThat(info.user()).isEqualTo("guest");
      assertThat(info.vhost()).isEqualTo("/");
      assertThat(info.channels()).isEqualTo(1);
      assertThat(info.clientProperties()).containsKey("product");
      var channels = registry().connections().list().get(0).channels().get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(channels).hasSize(1);
      assertThat(channels.get(0).name()).isEqualTo(info.name() + " (1)");
      Channel consuming = c.createChannel();
      consuming.basicQos(7);
      consuming.confirmSelect();
      consuming.queueDeclare("listed", false, true, true, null);
      consuming.basicConsume("listed", false, "tag-1", new com.rabbitmq.client.DefaultConsumer(consuming));
      consuming.basicPublish("", "listed", null, "m".getBytes());
      await().atMost(Duration.ofSeconds(5)).until(() -> registry().connections().list().get(0).channels().get()
          .stream().anyMatch(i -> i.unacked() == 1));
      var second = registry().connections().list().get(0).channels().get().stream()
          .filter(i -> i.number() == 2).findFirst().orElseThrow();
      assertThat(second.prefetchCount()).isEqualTo(7);
      assertThat(second.confirm()).isTrue();
      assertThat(second.transactional()).isFalse();
      assertThat(second.consumers()).singleElement().satisfies(k -> {
        assertThat(k.queue()).isEqualTo("listed");
        assertThat(k.tag()).isEqualTo("tag-1");
        assertThat(k.ackRequired()).isTrue();
        assertThat(k.prefetch()).isEqualTo(7);
      });
      registry().closeConnection(info.name(), "go away");
      AMQP.Connection.Close close = awaitConnectionClosed(c);
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - go away");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> registry().connections().list().isEmpty());
  }
}
