package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static io.warren.server.it.CloseReasons.connectionError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-user, per-vhost configure/write/read permissions, checked for each method as RabbitMQ checks them, with
 * RabbitMQ's 403 text; a refusal closes only the channel. One broker for the class: each test has its own user.
 */
class PermissionsIT {
  private static final int ACCESS_REFUSED = 403;
  private static BrokerFixture broker;
  private static Connection admin;

  @BeforeAll
  static void start() throws Exception {
    List<User> users = List.of(new User("guest", PasswordHash.of("guest"), List.of(), false), user("noconf"),
        user("nowrite"), user("noread"), user("unanchored"),
        user("anchored"), user("empty"), user("ae"), user("split"), user("elsewhere"));
    List<Permission> perms = List.of(
        new Permission("guest", "/", ".*", ".*", ".*"),
        new Permission("guest", "v2", ".*", ".*", ".*"),
        new Permission("noconf", "/", "^amq\\.gen", ".*", ".*"),
        new Permission("nowrite", "/", ".*", "^amq\\.gen", ".*"),
        new Permission("noread", "/", ".*", ".*", "^amq\\.gen"),
        new Permission("unanchored", "/", "foo", "foo", "foo"),
        new Permission("anchored", "/", "^foo$", "^foo$", "^foo$"),
        new Permission("empty", "/", "", "", ""),
        new Permission("ae", "/", ".*", "^ae-src$", ".*"),
        new Permission("split", "/", "", "", ""),
        new Permission("split", "v2", ".*", ".*", ".*"),
        new Permission("elsewhere", "v2", ".*", ".*", ".*"));
    broker = BrokerFixture.start(cfg -> cfg.withAccess(users, List.of("/", "v2"), perms));
    admin = broker.connect();
    Channel ch = admin.createChannel();
    ch.queueDeclare("q", false, false, false, null);
    ch.exchangeDeclare("x", BuiltinExchangeType.DIRECT);
    ch.exchangeDeclare("x2", BuiltinExchangeType.FANOUT);
    ch.queueBind("q", "x", "k");
    ch.basicPublish("", "q", null, "m".getBytes());
    ch.close();
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    broker.close();
  }

  private static User user(String name) {
    return new User(name, PasswordHash.of(name + "-pw"), List.of(), false);
  }

  private static Connection connect(String user, String vhost) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(user + "-pw");
    f.setVirtualHost(vhost);
    return f.newConnection();
  }

  private static String refused(String kind, String name, String vhost, String user) {
    return "ACCESS_REFUSED - access to " + kind + " '" + name + "' in vhost '" + vhost + "' refused for user '"
        + user + "'";
  }

  @Test
  void configureGuardsDeclareAndDeleteOfQueuesAndExchanges() throws Exception {
    try (Connection c = connect("noconf", "/")) {
      String u = "noconf";
      assertChannelError(() -> c.createChannel().queueDeclare("q", false, false, false, null),
          ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().queueDelete("q"), ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().exchangeDeclare("x", "direct"),
          ACCESS_REFUSED, refused("exchange", "x", "/", u));
      assertChannelError(() -> c.createChannel().exchangeDelete("x"),
          ACCESS_REFUSED, refused("exchange", "x", "/", u));
      // passive declares need no permission; server-named queues match "^amq\.gen"
      Channel ch = c.createChannel();
      assertThat(ch.queueDeclarePassive("q").getQueue()).isEqualTo("q");
      ch.exchangeDeclarePassive("x");
      assertThat(ch.queueDeclare().getQueue()).startsWith("amq.gen-");
      // only the channels were closed
      assertThat(c.isOpen()).isTrue();
    }
    try (Channel ch = admin.createChannel()) {
      assertThat(ch.queueDeclarePassive("q").getQueue()).isEqualTo("q");
    }
  }

  @Test
  void writeGuardsPublishAndTheDestinationOfBindings() throws Exception {
    String u = "nowrite";
    try (Connection c = connect(u, "/")) {
      Channel pub = c.createChannel();
      pub.basicPublish("x", "k", null, "m".getBytes());
      AMQP.Channel.Close close = awaitChannelClosed(pub);
      assertThat(close.getReplyCode()).isEqualTo(ACCESS_REFUSED);
      assertThat(close.getReplyText()).isEqualTo(refused("exchange", "x", "/", u));

      Channel dflt = c.createChannel();
      dflt.basicPublish("", "q", null, "m".getBytes());
      assertThat(awaitChannelClosed(dflt).getReplyText()).isEqualTo(refused("exchange", "amq.default", "/", u));

      assertChannelError(() -> c.createChannel().queueBind("q", "x", "k2"),
          ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().queueUnbind("q", "x", "k"),
          ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().exchangeBind("x2", "x", "k"),
          ACCESS_REFUSED, refused("exchange", "x2", "/", u));
      // a new queue may only dead-letter to an exchange its declarer may write to
      assertChannelError(() -> c.createChannel().queueDeclare("with-dlx", false, true, true,
          Map.of("x-dead-letter-exchange", "x")), ACCESS_REFUSED, refused("exchange", "x", "/", u));
      // write on a server-named queue is allowed, so binding it (read on x is granted) works
      Channel ok = c.createChannel();
      String mine = ok.queueDeclare().getQueue();
      ok.queueBind(mine, "x", "k");
      ok.queueUnbind(mine, "x", "k");
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void readGuardsGetConsumePurgeAndTheSourceOfBindings() throws Exception {
    String u = "noread";
    try (Connection c = connect(u, "/")) {
      assertChannelError(() -> c.createChannel().basicGet("q", true), ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().basicConsume("q", true, (tag, d) -> { }, tag -> { }),
          ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().queuePurge("q"), ACCESS_REFUSED, refused("queue", "q", "/", u));
      assertChannelError(() -> c.createChannel().queueBind("q", "x", "k3"),
          ACCESS_REFUSED, refused("exchange", "x", "/", u));
      assertChannelError(() -> c.createChannel().exchangeBind("x2", "x", "k"),
          ACCESS_REFUSED, refused("exchange", "x", "/", u));
      assertChannelError(() -> c.createChannel().exchangeUnbind("x2", "x", "k"),
          ACCESS_REFUSED, refused("exchange", "x", "/", u));
      // declaring a dead-lettering queue also needs read on the queue itself
      assertChannelError(() -> c.createChannel().queueDeclare("with-dlx2", false, true, true,
          Map.of("x-dead-letter-exchange", "x")), ACCESS_REFUSED, refused("queue", "with-dlx2", "/", u));
      c.createChannel().queueDeclare("without-dlx", false, true, true, null);
      // publishing needs write only
      Channel pub = c.createChannel();
      pub.confirmSelect();
      pub.basicPublish("x", "nowhere", null, "m".getBytes());
      assertThat(pub.waitForConfirms(5000)).isTrue();
    }
    try (Channel ch = admin.createChannel()) {
      assertThat(ch.queueDeclarePassive("q").getMessageCount()).as("the refused purge left the message").isOne();
    }
  }

  @Test
  void patternsAreSearchedForUnanchoredLikeRabbitMq() throws Exception {
    try (Connection c = connect("unanchored", "/")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("xfooy", false, true, true, null);
      ch.exchangeDeclare("afoo", BuiltinExchangeType.FANOUT, false, true, null);
      ch.queueBind("xfooy", "afoo", "");
      ch.basicPublish("afoo", "", null, "m".getBytes());
      ch.queueDeclarePassive("xfooy");
      assertChannelError(() -> c.createChannel().queueDeclare("bar", false, true, true, null),
          ACCESS_REFUSED, refused("queue", "bar", "/", "unanchored"));
    }
    try (Connection c = connect("anchored", "/")) {
      c.createChannel().queueDeclare("foo", false, true, true, null);
      assertChannelError(() -> c.createChannel().queueDeclare("xfooy", false, true, true, null),
          ACCESS_REFUSED, refused("queue", "xfooy", "/", "anchored"));
    }
  }

  @Test
  void anEmptyPatternGrantsNothing() throws Exception {
    try (Connection c = connect("empty", "/")) {
      assertChannelError(() -> c.createChannel().queueDeclare("anything", false, true, true, null),
          ACCESS_REFUSED, refused("queue", "anything", "/", "empty"));
      assertChannelError(() -> c.createChannel().basicGet("q", true),
          ACCESS_REFUSED, refused("queue", "q", "/", "empty"));
      Channel pub = c.createChannel();
      pub.basicPublish("", "q", null, "m".getBytes());
      assertThat(awaitChannelClosed(pub).getReplyText()).isEqualTo(refused("exchange", "amq.default", "/", "empty"));
    }
  }

  @Test
  void alternateExchangeNeedsReadOnTheNewExchangeAndWriteOnTheAlternate() throws Exception {
    try (Connection c = connect("ae", "/")) {
      assertChannelError(() -> c.createChannel().exchangeDeclare("ae-src2", "fanout", false, true,
          Map.of("alternate-exchange", "x")), ACCESS_REFUSED, refused("exchange", "x", "/", "ae"));
      // allowed: write on ae-src itself is the only write granted
      c.createChannel().exchangeDeclare("ae-src", "fanout", false, true, Map.of("alternate-exchange", "ae-src"));
    }
  }

  @Test
  void permissionsArePerVhost() throws Exception {
    try (Connection c = connect("split", "v2")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("q", false, false, true, null);
      ch.basicPublish("", "q", null, "m".getBytes());
    }
    try (Connection c = connect("split", "/")) {
      assertChannelError(() -> c.createChannel().queueDeclare("q", false, false, false, null),
          ACCESS_REFUSED, refused("queue", "q", "/", "split"));
    }
    AMQP.Connection.Close close = connectionError(() -> connect("elsewhere", "/"));
    assertThat(close.getReplyCode()).isEqualTo(530);
    assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - access to vhost '/' refused for user 'elsewhere'");
  }
}
