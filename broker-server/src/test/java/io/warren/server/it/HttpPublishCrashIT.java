package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.management.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message published through the management API to a durable queue is answered only once it is in the
 * log, as RabbitMQ's management publish answers after its publisher confirm: every one answered "routed" is there
 * after a kill -9 that follows the last answer at once.
 */
class HttpPublishCrashIT {
  @TempDir
  Path dir;

  @Test
  void everyPersistentMessageAnsweredRoutedSurvivesKill9() throws Exception {
    int httpPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      httpPort = s.getLocalPort();
    }
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"), dir,
        java.util.List.of("-Xmx256m", "-Dwarren.http.port=" + httpPort))) {
      broker.start();
      try (Connection c = broker.connect()) {
        c.createChannel().queueDeclare("http-kept", true, false, false, null);
      }
      Http http = new Http(httpPort);
      int count = 200;
      for (int i = 0; i < count; i++) {
        HttpResponse<String> r = http.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"http-kept\","
            + "\"payload\":\"m-" + i + "\",\"payload_encoding\":\"string\",\"properties\":{\"delivery_mode\":2}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"routed\":true");
      }
      broker.kill();
      broker.start();
      try (Connection c = broker.connect()) {
        Channel ch = c.createChannel();
        assertThat(ch.queueDeclarePassive("http-kept").getMessageCount()).isEqualTo(count);
      }
    }
  }
}
