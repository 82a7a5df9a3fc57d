package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import io.warren.amqp.LongString;
import io.warren.amqp.generated.ConnectionStart;
import io.warren.amqp.generated.ConnectionStartOk;
import io.warren.server.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failed login as RabbitMQ answers it: only after a delay (3 s by default, per connection, without holding up the
 * broker's other connections), then connection.close 403 for a client that advertised the
 * {@code authentication_failure_close} capability (the Java client does), and a plain socket close for one that did
 * not.
 */
class LoginFailureIT {
  private static final long DELAY = BrokerConfig.Limits.DEFAULT_FAILED_LOGIN_DELAY;
  private static BrokerFixture broker;

  @BeforeAll
  static void startBroker() {
    broker = BrokerFixture.start();
    assertThat(broker.broker().config().limits().failedLoginDelayMillis()).isEqualTo(DELAY);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static ConnectionFactory wrongPassword() {
    ConnectionFactory f = broker.factory();
    f.setPassword("not-the-password");
    f.setConnectionTimeout(10_000);
    return f;
  }

  @Test
  void aClientWithTheCapabilityGetsConnectionClose403AfterTheDelay() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> wrongPassword().newConnection())
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessage("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. "
            + "For details see the broker logfile.");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(DELAY - 100));
  }

  @Test
  void aClientWithoutTheCapabilityOnlySeesTheSocketClose() {
    ConnectionFactory f = wrongPassword();
    Map<String, Object> properties = new HashMap<>(f.getClientProperties());
    Map<String, Object> capabilities = new HashMap<>();
    capabilities.put("publisher_confirms", true);
    properties.put("capabilities", capabilities); // as a client from before authentication_failure_close
    f.setClientProperties(properties);
    long start = System.nanoTime();
    assertThatThrownBy(f::newConnection).isInstanceOf(PossibleAuthenticationFailureException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(DELAY - 100));
  }

  @Test
  void onTheWireNoConnectionCloseIsSentWithoutTheCapability() {
    try (RawAmqpClient c = RawAmqpClient.connect(broker.port())) {
      c.sendProtocolHeader();
      c.expect(ConnectionStart.class);
      long start = System.nanoTime();
      c.send(0, new ConnectionStartOk(Map.of("capabilities", Map.of("authentication_failure_close", false)),
          "PLAIN", LongString.copyOf("\0guest\0wrong".getBytes(StandardCharsets.UTF_8)), "en_US"));
      assertThat(c.bytesUntilClosedByPeer(Duration.ofMillis(DELAY + 5000))).as("bytes before the close").isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(DELAY - 100));
    }
  }

  @Test
  void failedLoginsWaitingDoNotHoldUpOtherConnections() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> failing = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        failing.add(pool.submit(() -> {
          assertThatThrownBy(() -> wrongPassword().newConnection()).isInstanceOf(AuthenticationFailureException.class);
          return null;
        }));
      }
      Thread.sleep(300); // the failed logins are now waiting out their delay on the broker's event loops
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        try (Connection ok = broker.connect()) {
          ok.createChannel().queueDeclare();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(DELAY / 2));
      }
      for (Future<?> f : failing) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
