package io.warren.server.it;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;

/** basic.get until a message is there: publishing is asynchronous, so the first get may come too early. */
final class BasicGets {
  private BasicGets() {}

  /** The next message of the queue, auto-acked; fails after 5 s. Polls at once, then every 10 ms. */
  static GetResponse one(Channel ch, String queue) {
    return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .until(() -> ch.basicGet(queue, true), r -> r != null);
  }
}
