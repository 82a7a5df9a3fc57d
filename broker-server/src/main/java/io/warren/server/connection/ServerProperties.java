package io.warren.server.connection;

import io.warren.amqp.LongString;
import io.warren.server.config.BrokerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server-properties table of connection.start. Stateless; any thread. */
final class ServerProperties {
  private ServerProperties() {}

  static Map<String, Object> of(BrokerConfig.ServerIdentity id) {
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("publisher_confirms", true);
    caps.put("exchange_exchange_bindings", true);
    caps.put("basic.nack", true);
    caps.put("consumer_cancel_notify", true);
    caps.put("connection.blocked", true);
    caps.put("consumer_priorities", true);
    caps.put("authentication_failure_close", true);
    caps.put("per_consumer_qos", true);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("product", LongString.of(id.product()));
    props.put("version", LongString.of(id.version()));
    props.put("platform", LongString.of("Java " + Runtime.version().feature()));
    props.put("cluster_name", LongString.of(id.clusterName()));
    props.put("copyright", LongString.of("Warren contributors"));
    props.put("information", LongString.of("Warren, an AMQP 0-9-1 broker"));
    props.put("capabilities", caps);
    return props;
  }
}
