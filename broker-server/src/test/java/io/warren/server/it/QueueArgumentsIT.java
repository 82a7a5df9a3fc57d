package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue x-arguments: RabbitMQ's 406 texts for invalid ones, no queue left behind, and redeclaration equivalence. */
class QueueArgumentsIT extends SharedBroker {
  /** Declaring q with these arguments fails with this text after "invalid arg 'key' for queue 'q' in vhost '/': ". */
  private static void refused(String key, Object value, String error, Object... more) throws Exception {
    Map<String, Object> a = Args.of(more);
    a.put(key, value);
    refusedWith(a, "PRECONDITION_FAILED - invalid arg '" + key + "' for queue 'q' in vhost '/': " + error);
  }

  private static void refusedWith(Map<String, Object> a, String text) throws Exception {
    Channel ch = conn.createChannel();
    assertChannelError(() -> ch.queueDeclare("q", false, false, false, a), 406, text);
    // nothing was created
    Channel check = conn.createChannel();
    assertChannelError(() -> check.queueDeclarePassive("q"), 404, "NOT_FOUND - no queue 'q' in vhost '/'");
  }

  @Test
  void lengthsMustBeNonNegativeIntegers() throws Exception {
    refused("x-max-length", -1, "{value_negative,-1}");
    refused("x-max-length-bytes", -10L, "{value_negative,-10}");
    refused("x-max-length", "ten", "\"expected integer, got longstr\"");
    refused("x-max-length-bytes", 1.5, "\"expected integer, got double\"");
  }

  @Test
  void ttlAndExpiresFollowRabbitMqBounds() throws Exception {
    refused("x-message-ttl", -5, "{value_negative,-5}");
    refused("x-message-ttl", 4294967296L, "{value_too_large,4294967296}");
    refused("x-message-ttl", true, "\"expected integer, got bool\"");
    refused("x-expires", 0, "{value_zero,0}");
    refused("x-expires", -1, "{value_negative,-1}");
  }

  @Test
  void priorityOverflowAndSingleActiveConsumer() throws Exception {
    refused("x-max-priority", 256, "{max_value_exceeded,256}");
    refused("x-max-priority", -1, "{value_negative,-1}");
    refused("x-overflow", "drop-tail", "invalid_overflow");
    refused("x-overflow", 1, "{unacceptable_type,signedint}");
    refused("x-single-active-consumer", "yes", "{unacceptable_type,longstr}");
  }

  @Test
  void deadLetterArguments() throws Exception {
    refused("x-dead-letter-routing-key", "rk", "routing_key_but_no_dlx_defined");
    refused("x-dead-letter-routing-key", 7, "{unacceptable_type,signedint}", "x-dead-letter-exchange", "dlx");
    // rabbit_channel checks the exchange argument's type first, with its own wording
    refusedWith(Args.of("x-dead-letter-exchange", 5, "x-max-length", -1),
        "PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue 'q' in vhost '/'");
  }

  @Test
  void warrenExtensionsAreCheckedTheSameWay() throws Exception {
    refused("x-delivery-limit", -1, "{value_negative,-1}");
    refused("x-consumer-timeout", "soon", "\"expected integer, got longstr\"");
    refused("x-retry-max", 0, "{value_zero,0}");
    refused("x-retry-initial-delay", -1, "{value_negative,-1}");
    refused("x-retry-multiplier", 0.5, "{value_too_small,0.5}", "x-retry-max", 3);
    refused("x-retry-multiplier", "x", "\"expected number, got longstr\"", "x-retry-max", 3);
  }

  @Test
  void validArgumentsDeclareAndRedeclare() throws Exception {
    Map<String, Object> a = Args.of("x-message-ttl", 60000, "x-expires", 3_600_000L, "x-max-length", 10,
        "x-max-length-bytes", 1_000_000, "x-overflow", "reject-publish", "x-dead-letter-exchange", "",
        "x-dead-letter-routing-key", "dead", "x-max-priority", 10, "x-single-active-consumer", true,
        "x-delivery-limit", 3, "x-consumer-timeout", 60000, "x-retry-max", 3, "x-retry-initial-delay", 100,
        "x-retry-multiplier", 1.5, "x-retry-max-delay", 10000);
    try (Channel ch = conn.createChannel()) {
      assertThat(ch.queueDeclare("valid", false, false, true, a).getQueue()).isEqualTo("valid");
      // integers of another width are the same value, as in RabbitMQ
      Map<String, Object> same = new HashMap<>(a);
      same.put("x-max-length", 10L);
      ch.queueDeclare("valid", false, false, true, same);
      ch.queueDelete("valid");
    }
  }

  @Test
  void redeclarationChecksTheFeatureArguments() throws Exception {
    try (Channel ch = conn.createChannel()) {
      ch.queueDeclare("eq", false, false, true, Args.of("x-max-length", 10, "x-delivery-limit", 2,
          "x-consumer-timeout", 1000));
      // not an argument RabbitMQ checks on redeclaration: accepted
      ch.queueDeclare("eq", false, false, true, Args.of("x-max-length", 10, "x-delivery-limit", 2,
          "x-consumer-timeout", 5000));
    }
    assertChannelError(() -> conn.createChannel().queueDeclare("eq", false, false, true,
        Args.of("x-max-length", 20, "x-delivery-limit", 2)), 406,
        "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'eq' in vhost '/': received '20' but "
            + "current is '10'");
    assertChannelError(() -> conn.createChannel().queueDeclare("eq", false, false, true,
        Args.of("x-max-length", 10)), 406,
        "PRECONDITION_FAILED - inequivalent arg 'x-delivery-limit' for queue 'eq' in vhost '/': received none but "
            + "current is the value '2' of type 'signedint'");
    try (Channel ch = conn.createChannel()) {
      ch.queueDelete("eq");
    }
  }
}
