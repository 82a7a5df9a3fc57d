package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** exchange.declare and exchange.delete: properties, redeclaration, reserved names and RabbitMQ's errors. */
class ExchangeDeclareIT extends SharedBroker {
  @Test
  void predeclaredExchangesExistAndMayBeRedeclaredAsTheyAre() throws Exception {
    Channel ch = conn.createChannel();
    for (String[] x : new String[][] {{"amq.direct", "direct"}, {"amq.fanout", "fanout"}, {"amq.topic", "topic"},
        {"amq.headers", "headers"}, {"amq.match", "headers"}}) {
      ch.exchangeDeclarePassive(x[0]);
      ch.exchangeDeclare(x[0], x[1], true);
    }
    assertChannelError(() -> conn.createChannel().exchangeDeclare("amq.direct", "direct", false), 406,
        "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange 'amq.direct' in vhost '/': "
            + "received 'false' but current is 'true'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("amq.topic", "fanout", true), 406,
        "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.topic' in vhost '/': "
            + "received 'fanout' but current is 'topic'");
    ch.close();
  }

  @Test
  void declareIsIdempotentAndRedeclareMustBeEquivalent() throws Exception {
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("d1", "direct", true, false, false, Map.of("x-anything", 1));
    ch.exchangeDeclare("d1", "direct", true, false, false, null); // other arguments are not compared
    String prefix = "PRECONDITION_FAILED - inequivalent arg ";
    assertChannelError(() -> conn.createChannel().exchangeDeclare("d1", "topic", true), 406,
        prefix + "'type' for exchange 'd1' in vhost '/': received 'topic' but current is 'direct'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("d1", "direct", false), 406,
        prefix + "'durable' for exchange 'd1' in vhost '/': received 'false' but current is 'true'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("d1", "direct", true, true, null), 406,
        prefix + "'auto_delete' for exchange 'd1' in vhost '/': received 'true' but current is 'false'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("d1", "direct", true, false, true, null), 406,
        prefix + "'internal' for exchange 'd1' in vhost '/': received 'true' but current is 'false'");
    ch.exchangeDelete("d1");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void alternateExchangeArgumentIsComparedOnRedeclare() throws Exception {
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("ae-cmp", "fanout", false, true, Map.of("alternate-exchange", "a"));
    ch.exchangeDeclare("ae-cmp", "fanout", false, true, Map.of("alternate-exchange", "a"));
    assertChannelError(() -> conn.createChannel().exchangeDeclare("ae-cmp", "fanout", false, true,
        Map.of("alternate-exchange", "b")), 406, "PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for "
        + "exchange 'ae-cmp' in vhost '/': received the value 'b' of type 'longstr' but current is the value 'a' "
        + "of type 'longstr'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("ae-cmp", "fanout", false, true, null), 406,
        "PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange 'ae-cmp' in vhost '/': "
            + "received none but current is the value 'a' of type 'longstr'");
    assertChannelError(() -> conn.createChannel().exchangeDeclare("ae-int", "fanout", false, true,
        Map.of("alternate-exchange", 5)), 406,
        "PRECONDITION_FAILED - invalid type 'signedint' for arg 'alternate-exchange' in exchange 'ae-int' "
            + "in vhost '/'");
    ch.exchangeDelete("ae-cmp");
  }

  @Test
  void passiveDeclareOfAMissingExchangeIsNotFound() {
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive("missing"), 404,
        "NOT_FOUND - no exchange 'missing' in vhost '/'");
  }

  @Test
  void reservedNamesAreRefused() throws Exception {
    assertChannelError(() -> conn.createChannel().exchangeDeclare("amq.mine", "direct"), 403,
        "ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'");
    assertChannelError(() -> conn.createChannel().exchangeDelete("amq.direct"), 403,
        "ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
    assertChannelError(() -> conn.createChannel().exchangeDelete("amq.nonexistent"), 403,
        "ACCESS_REFUSED - deletion of system exchange 'amq.nonexistent' in vhost '/' not allowed");
    String dflt = "ACCESS_REFUSED - operation not permitted on the default exchange";
    assertChannelError(() -> conn.createChannel().exchangeDeclare("", "direct"), 403, dflt);
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive(""), 403, dflt);
    assertChannelError(() -> conn.createChannel().exchangeDelete(""), 403, dflt);
    assertChannelError(() -> conn.createChannel().queueBind(conn.createChannel().queueDeclare().getQueue(), "", "k"),
        403, dflt);
    assertChannelError(() -> conn.createChannel().exchangeBind("amq.direct", "", "k"), 403, dflt);
    assertChannelError(() -> conn.createChannel().exchangeBind("", "amq.direct", "k"), 403, dflt);
    Channel ch = conn.createChannel();
    ch.exchangeDeclarePassive("amq.direct");
    ch.close();
  }

  @Test
  void unknownTypeIsACommandInvalidConnectionErrorAsInRabbitMq310() throws Exception {
    com.rabbitmq.client.Connection own = broker.connect();
    try {
      var close = CloseReasons.connectionError(() -> own.createChannel().exchangeDeclare("weird", "x-no-such-type"));
      assertThat(close.getReplyCode()).isEqualTo(503);
      assertThat(close.getReplyText()).isEqualTo("COMMAND_INVALID - invalid exchange type 'x-no-such-type'");
      assertThat(close.getClassId()).isEqualTo(40);
      assertThat(close.getMethodId()).isEqualTo(10);
    } finally {
      own.abort(); // a no-op once the broker closed it; close() would throw
    }
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive("weird"), 404,
        "NOT_FOUND - no exchange 'weird' in vhost '/'");
  }

  @Test
  void headersBindingsNeedAValidXMatch() throws Exception {
    String q = conn.createChannel().queueDeclare().getQueue();
    assertChannelError(() -> conn.createChannel().queueBind(q, "amq.headers", "", Map.of("x-match", "most")), 406,
        "PRECONDITION_FAILED - Invalid x-match field value <<\"most\">>; expected all, any, all-with-x, or any-with-x");
    Channel ch = conn.createChannel();
    ch.queueBind(q, "amq.headers", "", Map.of("x-match", "any-with-x", "x-a", "1"));
    ch.close();
  }

  @Test
  void deleteWithIfUnusedAndDeleteOfAMissingExchange() throws Exception {
    Channel ch = conn.createChannel();
    ch.exchangeDeclare("used", "fanout");
    String q = ch.queueDeclare().getQueue();
    ch.queueBind(q, "used", "");
    assertChannelError(() -> conn.createChannel().exchangeDelete("used", true), 406,
        "PRECONDITION_FAILED - exchange 'used' in vhost '/' in use");
    ch.exchangeDeclarePassive("used");
    ch.queueUnbind(q, "used", "");
    ch.exchangeDelete("used", true);
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive("used"), 404,
        "NOT_FOUND - no exchange 'used' in vhost '/'");
    ch.exchangeDelete("never-existed");
    // an exchange that is only a binding destination is unused: if-unused looks at its own bindings only
    ch.exchangeDeclare("dest-only", "fanout");
    ch.exchangeBind("dest-only", "amq.fanout", "");
    ch.exchangeDelete("dest-only", true);
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive("dest-only"), 404,
        "NOT_FOUND - no exchange 'dest-only' in vhost '/'");
    ch.close();
  }

  @Test
  void deletingAnExchangeRemovesItsBindingsInBothDirections() throws Exception {
    Channel ch = conn.createChannel();
    ch.confirmSelect();
    String q = ch.queueDeclare().getQueue();
    ch.exchangeDeclare("mid", "fanout");
    ch.exchangeBind("mid", "amq.fanout", "");
    ch.queueBind(q, "mid", "");
    ch.basicPublish("amq.fanout", "", null, "1".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isOne();
    ch.exchangeDelete("mid");
    ch.exchangeDeclare("mid", "fanout"); // a new exchange of the same name has none of the old bindings
    ch.basicPublish("amq.fanout", "", null, "2".getBytes());
    ch.basicPublish("mid", "", null, "3".getBytes());
    ch.waitForConfirmsOrDie(5000);
    assertThat(ch.queueDeclarePassive(q).getMessageCount()).isOne();
    ch.exchangeDelete("mid");
    ch.close();
  }
}
