package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import io.warren.server.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server-properties table of connection.start, as clients read it to feature-detect. */
class ServerPropertiesIT {
  /** Exactly what ServerProperties advertises: each one is implemented, so clients may rely on it. */
  private static final String[] CAPABILITIES = {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
      "consumer_cancel_notify", "connection.blocked", "consumer_priorities", "authentication_failure_close",
      "per_consumer_qos"};

  @Test
  void productVersionPlatformAndCapabilities() throws Exception {
    try (BrokerFixture broker = BrokerFixture.start(); Connection conn = broker.connect()) {
      Map<String, Object> props = conn.getServerProperties();
      assertThat(props.get("product")).hasToString("Warren");
      assertThat(props.get("version")).hasToString(broker.broker().config().server().version());
      assertThat(props.get("platform").toString()).isEqualTo("Java " + Runtime.version().feature());
      assertThat(props.get("cluster_name")).hasToString(broker.broker().config().server().clusterName());
      assertThat(props).containsKeys("copyright", "information");

      @SuppressWarnings("unchecked")
      Map<String, Object> caps = (Map<String, Object>) props.get("capabilities");
      assertThat(caps).containsOnlyKeys(CAPABILITIES);
      assertThat(caps.values()).containsOnly(true);
    }
  }

  @Test
  void theAdvertisedVersionAndClusterNameAreConfigurable() throws Exception {
    // some tools feature-detect by RabbitMQ version, so an operator may advertise one
    try (BrokerFixture broker = BrokerFixture.start(cfg ->
            cfg.withServer(new BrokerConfig.ServerIdentity("Warren", "3.13.7", "east-1")));
        Connection conn = broker.connect()) {
      assertThat(conn.getServerProperties().get("version")).hasToString("3.13.7");
      assertThat(conn.getServerProperties().get("cluster_name")).hasToString("east-1");
      assertThat(conn.getServerProperties().get("product")).hasToString("Warren");
    }
  }
}
