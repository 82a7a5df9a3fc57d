package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static io.warren.server.it.CloseReasons.connectionError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warren.server.auth.PasswordHash;
import io.warren.server.auth.Permission;
import io.warren.server.auth.User;
import io.warren.server.config.BrokerConfig;
import io.warren.server.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two vhosts are separate namespaces: same names in both, and messages never cross. */
class VhostIsolationIT {

  private static BrokerFixture start() {
    List<User> users = List.of(new User("guest", PasswordHash.of("guest"), List.of("administrator"), false),
        new User("bob", PasswordHash.of("secret"), List.of(), false));
    List<Permission> perms = List.of(new Permission("guest", "/", ".*", ".*", ".*"),
        new Permission("guest", "b", ".*", ".*", ".*"),
        new Permission("bob", "b", ".*", ".*", ".*"));
    return BrokerFixture.start(cfg -> cfg.withAccess(users, List.of("/", "b"), perms));
  }

  private static Connection connect(BrokerFixture broker, String user, String password, String vhost)
      throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(password);
    f.setVirtualHost(vhost);
    return f.newConnection();
  }

  private static String body(GetResponse r) {
    return r == null ? null : new String(r.getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void sameNamesInTwoVhostsAreDifferentObjectsAndMessagesNeverCross() throws Exception {
    try (BrokerFixture broker = start();
        Connection a = connect(broker, "guest", "guest", "/");
        Connection b = connect(broker, "bob", "secret", "b")) {
      Channel ca = a.createChannel();
      Channel cb = b.createChannel();
      ca.confirmSelect();
      cb.confirmSelect();
      // same names, different properties: no "inequivalent arg" between vhosts
      ca.exchangeDeclare("ex", BuiltinExchangeType.FANOUT, true);
      cb.exchangeDeclare("ex", BuiltinExchangeType.DIRECT, false);
      ca.queueDeclare("shared", true, false, false, null);
      cb.queueDeclare("shared", false, false, true, null);
      ca.queueBind("shared", "ex", "");
      cb.queueBind("shared", "ex", "k");

      ca.basicPublish("ex", "k", null, "from-a".getBytes(StandardCharsets.UTF_8));
      ca.basicPublish("", "shared", null, "from-a-default".getBytes(StandardCharsets.UTF_8));
      cb.basicPublish("ex", "k", null, "from-b".getBytes(StandardCharsets.UTF_8));
      cb.basicPublish("amq.fanout", "", null, "unbound-in-b".getBytes(StandardCharsets.UTF_8));
      ca.waitForConfirmsOrDie(5000);
      cb.waitForConfirmsOrDie(5000);

      assertThat(ca.queueDeclarePassive("shared").getMessageCount()).isEqualTo(2);
      assertThat(cb.queueDeclarePassive("shared").getMessageCount()).isEqualTo(1);
      assertThat(body(ca.basicGet("shared", true))).isEqualTo("from-a");
      assertThat(body(ca.basicGet("shared", true))).isEqualTo("from-a-default");
      assertThat(body(ca.basicGet("shared", true))).isNull();
      assertThat(body(cb.basicGet("shared", true))).isEqualTo("from-b");
      assertThat(body(cb.basicGet("shared", true))).isNull();

      // deleting in one vhost leaves the other's alone
      cb.queueDelete("shared");
      cb.exchangeDelete("ex");
      assertThat(ca.queueDeclarePassive("shared").getQueue()).isEqualTo("shared");
      ca.exchangeDeclarePassive("ex");
      ca.queueDelete("shared");
      ca.exchangeDelete("ex");
    }
  }

  @Test
  void objectsOfOneVhostAreNotFoundInTheOther() throws Exception {
    try (BrokerFixture broker = start();
        Connection a = connect(broker, "guest", "guest", "/");
        Connection b = connect(broker, "guest", "guest", "b")) {
      Channel ca = a.createChannel();
      ca.queueDeclare("only-a", false, false, true, null);
      ca.exchangeDeclare("only-a-x", BuiltinExchangeType.TOPIC, false, true, null);
      assertChannelError(() -> b.createChannel().queueDeclarePassive("only-a"), 404,
          "NOT_FOUND - no queue 'only-a' in vhost 'b'");
      assertChannelError(() -> b.createChannel().exchangeDeclarePassive("only-a-x"), 404,
          "NOT_FOUND - no exchange 'only-a-x' in vhost 'b'");
      assertChannelError(() -> b.createChannel().queueBind("only-a", "amq.direct", "k"), 404,
          "NOT_FOUND - no queue 'only-a' in vhost 'b'");
      // publishing to the name in b does not reach a's queue
      Channel cb = b.createChannel();
      cb.confirmSelect();
      cb.basicPublish("", "only-a", null, "lost".getBytes(StandardCharsets.UTF_8));
      cb.waitForConfirmsOrDie(5000);
      assertThat(ca.queueDeclarePassive("only-a").getMessageCount()).isZero();
    }
  }

  @Test
  void usersVhostsAndPermissionsComeFromTheConfigFile(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("access.conf");
    Files.writeString(conf, "warren {\n"
        + "  users = [{ name = carol, password-hash = \"" + PasswordHash.of("s3cret").encoded() + "\" }]\n"
        + "  vhosts = [\"/\", \"carols\"]\n"
        + "  permissions = [{ user = carol, vhost = carols,\n"
        + "                   configure = \"^c\\\\.\", write = \".*\", read = \".*\" }]\n"
        + "}\n");
    BrokerConfig fromFile = ConfigLoader.load(conf, Map.of(), new Properties());
    // loaded without the test JVM's -Dwarren.http.port=0: its HTTP port must be freed from 15672 here too
    try (BrokerFixture broker = BrokerFixture.start(cfg -> fromFile.withPort(0).withHttp(fromFile.http().onPort(0))
        .withDataDir(cfg.dataDir()));
        Connection c = connect(broker, "carol", "s3cret", "carols")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("c.q", false, false, true, null);
      assertChannelError(() -> c.createChannel().queueDeclare("d.q", false, false, true, null), 403,
          "ACCESS_REFUSED - access to queue 'd.q' in vhost 'carols' refused for user 'carol'");
      // the file's users replace the defaults: guest is gone
      assertThatThrownBy(() -> connect(broker, "guest", "guest", "/"))
          .isInstanceOf(AuthenticationFailureException.class);
      assertThatThrownBy(() -> connect(broker, "carol", "wrong", "carols"))
          .isInstanceOf(AuthenticationFailureException.class);
    }
  }

  @Test
  void connectingToAVhostNeedsPermissionsThereAndTheVhostMustExist() throws Exception {
    try (BrokerFixture broker = start()) {
      AMQP.Connection.Close noPerm = connectionError(() -> connect(broker, "bob", "secret", "/"));
      assertThat(noPerm.getReplyCode()).isEqualTo(530);
      assertThat(noPerm.getReplyText()).isEqualTo("NOT_ALLOWED - access to vhost '/' refused for user 'bob'");
      AMQP.Connection.Close missing = connectionError(() -> connect(broker, "guest", "guest", "nope"));
      assertThat(missing.getReplyCode()).isEqualTo(530);
      assertThat(missing.getReplyText()).isEqualTo("NOT_ALLOWED - vhost nope not found");
    }
  }
}
