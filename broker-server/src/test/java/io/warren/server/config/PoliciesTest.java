package io.warren.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.store.Overflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** warren.policies: parsing, defaults, validation errors that name the key, and which policy applies. */
class PoliciesTest {
  @TempDir
  Path dir;

  private BrokerConfig load(String hocon) throws Exception {
    Path f = Files.createTempFile(dir, "warren", ".conf");
    Files.writeString(f, hocon);
    return ConfigLoader.load(f, Map.of(), new Properties());
  }

  private Policies policies(String list) throws Exception {
    return load("warren.vhosts = [\"/\", \"other\"]\nwarren.policies = " + list).policies();
  }

  @Test
  void noPoliciesByDefaultAndThirtyMinuteConsumerTimeout() {
    BrokerConfig c = ConfigLoader.load(null, Map.of(), new Properties());
    assertThat(c.policies().isEmpty()).isTrue();
    assertThat(c.consumerTimeoutMillis()).isEqualTo(30 * 60 * 1000L);
  }

  @Test
  void consumerTimeoutIsADuration() throws Exception {
    assertThat(load("warren.queues.consumer-timeout = 15s").consumerTimeoutMillis()).isEqualTo(15000);
    assertThatThrownBy(() -> load("warren.queues.consumer-timeout = 0s"))
        .hasMessageContaining("warren.queues.consumer-timeout");
  }

  @Test
  void parsesEveryKeyWithDefaults() throws Exception {
    Policies p = policies("[{ name = ttl, pattern = \"^orders\\\\.\", definition { message-ttl = 1000, "
        + "expires = 5000, max-length = 10, max-length-bytes = 100, overflow = reject-publish-dlx, "
        + "dead-letter-exchange = dlx, dead-letter-routing-key = dead, delivery-limit = 3, consumer-timeout = 60000, "
        + "max-priority = 5, retry-max = 2, retry-initial-delay = 10, retry-multiplier = 1.5, retry-max-delay = 99, "
        + "alternate-exchange = ae } }]");
    Policy ttl = p.all().get(0);
    assertThat(ttl.vhost()).isEqualTo("/");
    assertThat(ttl.applyTo()).isEqualTo(Policy.ApplyTo.ALL);
    assertThat(ttl.priority()).isZero();
    PolicyDefinition d = ttl.definition();
    assertThat(d).isEqualTo(new PolicyDefinition(1000L, 5000L, 10L, 100L, Overflow.REJECT_PUBLISH_DLX, "dlx", "dead",
        3L, 60000L, 5, 2, 10L, 1.5, 99L, "ae"));
  }

  @Test
  void theHighestPriorityMatchWinsAndPatternsAreUnanchored() throws Exception {
    Policies p = policies("[{ name = low, pattern = \"\", definition.max-length = 1 },"
        + "{ name = high, pattern = \"orders\", priority = 5, apply-to = queues, definition.max-length = 2 },"
        + "{ name = ex, pattern = \"orders\", priority = 9, apply-to = exchanges, definition.alternate-exchange = ae },"
        + "{ name = tie, pattern = \"orders\", priority = 5, definition.max-length = 3 },"
        + "{ vhost = other, name = high, pattern = \".*\", priority = 100, definition.max-length = 4 }]");
    assertThat(p.forQueue("/", "my.orders.eu").name()).isEqualTo("high"); // listed before "tie"
    assertThat(p.forQueue("/", "invoices").name()).isEqualTo("low");
    assertThat(p.forExchange("/", "orders").name()).isEqualTo("ex");
    assertThat(p.forQueue("other", "orders").definition().maxLength()).isEqualTo(4);
    assertThat(p.forQueue("nope", "orders")).isNull();
    assertThat(p.forVhost("other").all()).hasSize(1);
  }

  @Test
  void badPoliciesNameTheirKey() {
    assertThatThrownBy(() -> policies("[{ name = a, pattern = \"(\", definition.max-length = 1 }]"))
        .hasMessageContaining("warren.policies[0]").hasMessageContaining("pattern");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.message-ttl = -5 }]"))
        .hasMessageContaining("warren.policies[0]: definition.message-ttl: -5 is not a valid message TTL");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.expires = 0 }]"))
        .hasMessageContaining("definition.expires: 0 is not a valid queue expiry");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.overflow = drop-tail }]"))
        .hasMessageContaining("definition.overflow");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.max-priority = 256 }]"))
        .hasMessageContaining("definition.max-priority");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.single-active-consumer = true }]"))
        .hasMessageContaining("definition.single-active-consumer: not allowed in a policy");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.ha-mode = all }]"))
        .hasMessageContaining("definition.ha-mode: unknown policy key");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, apply-to = streams, definition.max-length = 1 }]"))
        .hasMessageContaining("warren.policies[0]: apply-to");
    assertThatThrownBy(() -> policies("[{ pattern = x, definition.max-length = 1 }]"))
        .hasMessageContaining("warren.policies[0]").hasMessageContaining("name");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition {} }]"))
        .hasMessageContaining("warren.policies[0]: definition must set at least one key");
    assertThatThrownBy(() -> policies("[{ vhost = nope, name = a, pattern = x, definition.max-length = 1 }]"))
        .hasMessageContaining("policy 'a' for unknown vhost 'nope'");
    assertThatThrownBy(() -> policies("[{ name = a, pattern = x, definition.max-length = 1 },"
        + "{ name = a, pattern = y, definition.max-length = 2 }]"))
        .hasMessageContaining("duplicate policy name 'a'");
  }
}
