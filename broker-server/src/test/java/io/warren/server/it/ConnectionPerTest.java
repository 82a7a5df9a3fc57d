package io.warren.server.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One in-process broker for every test of a class, and a fresh connection with one channel for each test (closed after
 * it, unless the test closed it). The broker field is static in this base class, so this relies on test classes running
 * one at a time (JUnit's default). Deliberately not named *IT: it is not a test class itself.
 */
abstract class ConnectionPerTest {
  protected static BrokerFixture broker;
  protected Connection conn;
  protected Channel ch;

  @BeforeAll
  static void startBrokerForClass() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stopBrokerForClass() {
    broker.close();
  }

  @BeforeEach
  void openConnectionForTest() throws Exception {
    conn = broker.connect();
    ch = conn.createChannel();
  }

  @AfterEach
  void closeConnectionForTest() throws Exception {
    if (conn.isOpen()) {
      conn.close();
    }
  }
}
