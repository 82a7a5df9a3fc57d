package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.store.MessageQueue;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How many large messages a queue hands to an auto-ack consumer ahead of what its client reads. Whatever is handed
 * over waits on the connection (the channel's hand-off, Netty's outbound buffer, the kernel's socket buffers) and is
 * no longer the queue's: each such message is a message's worth of latency for the next one, and, with a consumer
 * that stops reading, that many megabytes held per connection. The consumer's client here stops reading its socket
 * altogether once consume-ok is in; the queue must keep all but one message of 1 MB.
 */
class LargeDeliveryBoundIT {
  private static final int BODY = 1_000_000;
  private static final int MESSAGES = 12;
  private static BrokerFixture broker;

  @BeforeAll
  static void start() {
    broker = BrokerFixture.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aConsumerThatReadsNothingIsHandedOneLargeMessage() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    GatedSockets sockets = new GatedSockets(reading);
    ConnectionFactory subFactory = broker.factory();
    subFactory.setSocketFactory(sockets);
    // PerfTest's socket buffers: what the kernel holds for the client stays well under a message
    subFactory.setSocketConfigurator(socket -> {
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSendBufferSize(64 * 1024);
      socket.setTcpNoDelay(true);
    });
    try (Connection pubConn = broker.factory().newConnection("large-publisher");
        Connection subConn = subFactory.newConnection("large-consumer")) {
      Channel pub = pubConn.createChannel();
      String q = pub.queueDeclare("large-bound-q", false, false, false, null).getQueue();
      MessageQueue queue = broker.broker().vhost("/").queue(q).queue();
      AtomicInteger received = new AtomicInteger();
      Channel sub = subConn.createChannel();
      sub.basicConsume(q, true, (tag, d) -> received.incrementAndGet(), tag -> { });
      sockets.closeGate(); // consume-ok is in: from now on the client reads nothing
      try {
        handedWhileNotReading(pub, q, queue);
      } finally {
        reading.countDown(); // before the connections close: their close-ok must be read
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == MESSAGES);
      assertThat(queue.messageCount()).isZero();
      pub.queueDelete(q);
    } finally {
      reading.countDown();
    }
  }

  private static void handedWhileNotReading(Channel pub, String q, MessageQueue queue) throws Exception {
    pub.confirmSelect();
    byte[] body = new byte[BODY];
    for (int i = 0; i < MESSAGES; i++) {
      pub.basicPublish("", q, null, body);
    }
    pub.waitForConfirmsOrDie(30_000);
    // the queue hands out what the connection has room for, then stops; wait until that count holds still
    int[] last = {-1};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
      int ready = queue.messageCount();
      boolean still = ready == last[0];
      last[0] = ready;
      return still;
    });
    int handed = MESSAGES - queue.messageCount();
    // The first message fills the kernel's buffers and leaves most of itself in Netty's outbound buffer, above its
    // high water mark: nothing more leaves the queue. With a 1 MiB mark, one or two more followed it.
    assertThat(handed).as("1 MB messages handed to a consumer that reads nothing").isEqualTo(1);
  }

  /**
   * Sockets whose reads block, once {@link #closeGate} is called, until the latch is released: a client that stops
   * reading its socket while everything else about it (its writes, its heartbeats' timers) carries on.
   */
  private static final class GatedSockets extends SocketFactory {
    private final CountDownLatch open;
    private volatile boolean gated;

    GatedSockets(CountDownLatch open) {
      this.open = open;
    }

    void closeGate() {
      gated = true;
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public InputStream getInputStream() throws IOException {
          return new FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
              waitForGate();
              return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              waitForGate();
              return super.read(b, off, len);
            }
          };
        }
      };
    }

    private void waitForGate() throws IOException {
      if (!gated) {
        return;
      }
      try {
        open.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException();
    }
  }
}
