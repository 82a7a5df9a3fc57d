package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmokeIT {
  @Test
  void publishAndGet() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(); Connection conn = broker.connect()) {
      Channel ch = conn.createChannel();
      String q = ch.queueDeclare().getQueue();
      ch.basicPublish("", q, null, "hello".getBytes(StandardCharsets.UTF_8));
      GetResponse r = null;
      for (int i = 0; i < 50 && r == null; i++) {
        r = ch.basicGet(q, true);
      }
      assertThat(r).isNotNull();
      assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(conn.getServerProperties().get("product").toString()).isEqualTo("Warren");
    }
  }
}
