package io.warren.server.channel;

import io.warren.amqp.ChannelException;
import io.warren.amqp.generated.BasicConsume;
import io.warren.amqp.generated.BasicConsumeOk;
import io.warren.amqp.generated.BasicDeliver;
import io.warren.amqp.generated.ReplyCode;
import io.warren.server.replyto.DirectReplyTo;
import io.warren.store.Message;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * One channel's side of direct reply-to: its consumer on {@code amq.rabbitmq.reply-to} (at most one, no-ack, as in
 * RabbitMQ), the reply name its requests carry, and the writing of replies addressed to it. Confined to the
 * connection's event loop, except {@link #deliver}, which publishers call from their own.
 */
final class DirectReplies implements DirectReplyTo.ReplyConsumer {
  private final AmqpChannel channel;
  private final DirectReplyTo registry;
  private final LongSupplier deliveryTags;
  private String tag;
  private DirectReplyTo.Registration registration;

  /** @param deliveryTags hands out the channel's next delivery tag (the channel's deliveries share one sequence) */
  DirectReplies(AmqpChannel channel, DirectReplyTo registry, LongSupplier deliveryTags) {
    this.channel = channel;
    this.registry = registry;
    this.deliveryTags = deliveryTags;
  }

  DirectReplyTo registry() {
    return registry;
  }

  /** basic.consume on the pseudo-queue, with the consumer tag already chosen (and checked unique on the channel). */
  void consume(BasicConsume m, String consumerTag) {
    if (!m.noAck()) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "reply consumer cannot acknowledge");
    }
    if (registration != null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "reply consumer already set");
    }
    tag = consumerTag;
    registration = registry.register(this);
    if (!m.noWait()) {
      channel.reply(new BasicConsumeOk(consumerTag));
    }
  }

  /** True when {@code consumerTag} is this channel's reply consumer. */
  boolean isConsumer(String consumerTag) {
    return registration != null && tag.equals(consumerTag);
  }

  /** basic.cancel of the reply consumer: replies to its name are dropped (or returned) from now on. */
  void cancel() {
    close();
  }

  /**
   * The name a request published with reply-to {@code amq.rabbitmq.reply-to} carries instead; RabbitMQ's channel
   * error when the channel does not consume replies.
   */
  String replyName() {
    if (registration == null) {
      throw new ChannelException(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist");
    }
    return registration.name();
  }

  /** The channel is closing. */
  void close() {
    if (registration != null) {
      registry.unregister(registration);
      registration = null;
      tag = null;
    }
  }

  @Override
  public void deliver(DirectReplyTo.Registration to, Message message, String exchange, String routingKey) {
    var loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      write(to, message, exchange, routingKey);
      return;
    }
    try {
      loop.execute(() -> write(to, message, exchange, routingKey));
    } catch (RejectedExecutionException e) {
      message.release(); // the connection's event loop is shutting down: the consumer is gone
    }
  }

  private void write(DirectReplyTo.Registration to, Message message, String exchange, String routingKey) {
    try {
      // a reply that raced with a cancel or a close is dropped, as in RabbitMQ
      if (registration == to && channel.isOpen()) {
        channel.writeContent(new BasicDeliver(tag, deliveryTags.getAsLong(), false, exchange, routingKey), message);
        channel.flush();
      }
    } finally {
      message.release();
    }
  }
}
