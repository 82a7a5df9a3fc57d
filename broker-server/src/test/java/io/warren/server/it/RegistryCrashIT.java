package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry changes acknowledged by the registry survive kill -9: a vhost, a user, permissions, a policy and a limit
 * made at run time are all there after the broker is killed and started again, and a deleted vhost stays deleted.
 */
class RegistryCrashIT {
  @TempDir
  Path dir;

  @Test
  void acknowledgedRegistryChangesSurviveKill9() throws Exception {
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"), dir)) {
      broker.start(RegistryConsole.class.getName());
      String[] commands = {"vhost team", "user ann secret", "perm ann team .* .* .*", "policy team cap ^capped$ 1",
          "vlimit team 10 5", "vhost doomed", "perm ann doomed .* .* .*", "delete-vhost doomed"};
      for (int i = 0; i < commands.length; i++) {
        broker.send(commands[i]);
        String ok = "registry-ok " + (i + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.output().contains(ok));
      }
      assertThat(broker.output()).doesNotContain("registry-failed");
      broker.kill();
      broker.start();
      ConnectionFactory f = new ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(connectPort(broker));
      f.setVirtualHost("team");
      f.setUsername("ann");
      f.setPassword("secret");
      f.setAutomaticRecoveryEnabled(false);
      try (Connection c = f.newConnection()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("capped", false, false, false, null);
        ch.basicPublish("", "capped", null, "1".getBytes());
        ch.basicPublish("", "capped", null, "2".getBytes());
        assertThat(ch.queueDeclarePassive("capped").getMessageCount()).isEqualTo(1); // the policy is back
      }
      f.setVirtualHost("doomed");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(f::newConnection))
          .hasStackTraceContaining("vhost doomed not found");
    }
  }

  private static int connectPort(BrokerProcess broker) throws Exception {
    try (Connection c = broker.connect()) {
      return c.getPort();
    }
  }
}
