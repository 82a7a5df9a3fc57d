package io.warren.management.spi;

/**
 * POST /api/queues/{vhost}/{name}/get. {@code ackMode} is RabbitMQ's: ack_requeue_true, ack_requeue_false,
 * reject_requeue_true or reject_requeue_false; the requeue variants put the messages back, as redelivered.
 */
public record GetRequest(String vhost, String queue, int count, boolean requeue) {
}
