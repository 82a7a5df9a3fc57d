package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.server.auth.Permission;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A data directory written before definitions were typed records (the log in src/test/resources/legacy-log was
 * written by that broker: durable exchanges, queues, bindings and persistent messages in vhosts "/" and "v2", some
 * deleted again) still recovers, its registry is imported from the configuration, and it stays readable once the
 * broker has written typed records and snapshots after it.
 */
class LegacyLogIT {
  @Test
  void anOldLogRecoversItsTopologyAndMessages() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(cfg -> cfg.withAccess(cfg.users(), List.of("/", "v2"),
        List.of(new Permission("guest", "/", ".*", ".*", ".*"), new Permission("guest", "v2", ".*", ".*", ".*"))))) {
      broker.restart(() -> {
        Path log = broker.dataDir().resolve("log");
        try (var files = Files.list(log)) {
          for (Path p : files.filter(p -> p.toString().endsWith(".log")).toList()) {
            Files.delete(p);
          }
        }
        try (InputStream in = LegacyLogIT.class.getResourceAsStream("/legacy-log/00000000000000000000.log")) {
          Files.copy(in, log.resolve("00000000000000000000.log"));
        }
      });
      assertThat(broker.broker().registry().findVhost("v2")).isPresent();
      check(broker);
      broker.restart(); // now from the typed snapshot written at the first start
      check(broker);
    }
  }

  private static void check(BrokerFixture broker) throws Exception {
    try (Connection c = broker.connect()) {
      Channel ch = c.createChannel();
      assertThat(ch.queueDeclarePassive("orders.eu").getMessageCount()).isEqualTo(3);
      ch.exchangeDeclarePassive("orders");
      ch.exchangeDeclarePassive("x2");
      ch.basicPublish("orders", "eu.fr", null, "m3".getBytes()); // the binding eu.# is back
      ch.basicPublish("orders", "us.ny", null, "lost".getBytes());
      assertThat(ch.queueDeclarePassive("orders.eu").getMessageCount()).isEqualTo(4);
      for (int i = 0; i < 3; i++) {
        assertThat(ch.basicGet("orders.eu", false).getBody()).asString().isEqualTo("m" + i);
      }
      ch.close();
      Channel ch2 = c.createChannel();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ch2.queueDeclarePassive("gone")))
          .hasStackTraceContaining("NOT_FOUND");
    }
    ConnectionFactory f = broker.factory();
    f.setVirtualHost("v2");
    try (Connection c = f.newConnection()) {
      Channel ch = c.createChannel();
      assertThat(ch.queueDeclarePassive("v2q").getMessageCount()).isEqualTo(1);
    }
  }
}
