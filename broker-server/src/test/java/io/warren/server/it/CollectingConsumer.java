package io.warren.server.it;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A consumer that only records what it is given (and never acks), for asserting what the broker delivered and in
 * which order. Called on the client's consumer thread; read from the test thread.
 */
final class CollectingConsumer extends DefaultConsumer {
  /** One basic.deliver as the client saw it. */
  record Delivery(String consumerTag, long tag, boolean redelivered, byte[] body) {
    int first() {
      return body[0] & 0xff;
    }

    int asInt() {
      return java.nio.ByteBuffer.wrap(body).getInt();
    }
  }

  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicReference<String> cancelledByBroker = new AtomicReference<>();
  final AtomicReference<String> cancelOk = new AtomicReference<>();

  CollectingConsumer(Channel channel) {
    super(channel);
  }

  @Override
  public void handleDelivery(String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body) {
    deliveries.add(new Delivery(consumerTag, env.getDeliveryTag(), env.isRedeliver(), body));
  }

  @Override
  public void handleCancel(String consumerTag) {
    cancelledByBroker.set(consumerTag);
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    cancelOk.set(consumerTag);
  }

  int count() {
    return deliveries.size();
  }

  /** Waits until exactly {@code n} deliveries arrived (failing if more do). */
  CollectingConsumer awaitCount(int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() >= n);
    if (deliveries.size() > n) {
      throw new AssertionError("expected " + n + " deliveries, got " + deliveries.size());
    }
    return this;
  }

  Delivery get(int i) {
    return deliveries.get(i);
  }

  Delivery last() {
    return deliveries.get(deliveries.size() - 1);
  }

  List<Integer> firstBytes() {
    return deliveries.stream().map(Delivery::first).toList();
  }
}
