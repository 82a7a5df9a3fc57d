package io.warren.server.it;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One in-process broker and one connection shared by every test of a class, started before the first and closed after
 * the last. The fields are static in this base class, so this relies on test classes running one at a time (JUnit's
 * default; no parallel execution is configured). Deliberately not named *IT: it is not a test class itself.
 */
abstract class SharedBroker {
  protected static BrokerFixture broker;
  protected static Connection conn;

  @BeforeAll
  static void startSharedBroker() {
    broker = BrokerFixture.start();
    conn = broker.connect();
  }

  @AfterAll
  static void stopSharedBroker() throws Exception {
    conn.close();
    broker.close();
  }
}
