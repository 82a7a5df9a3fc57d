package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small behaviours of RabbitMQ 3.10 that clients notice (and RabbitMQ's own client test suite checks): line breaks in
 * names, unbinding what does not exist, CC/BCC that are not arrays, unknown exchange types, binary header values.
 */
class RabbitCompatibilityIT extends ConnectionPerTest {

  @Test
  void lineBreaksAreStrippedFromQueueNames() throws Exception {
    AMQP.Queue.DeclareOk ok = ch.queueDeclare("q\ru\ne\r\nue_\ntest\n\r", false, false, true, null);
    assertThat(ok.getQueue()).isEqualTo("queue_test");
    ch.queueDeclarePassive("queue_test");
    ch.queueDeclarePassive("queue_\ntest");
    ch.queueBind("queue\n_test", "amq.fanout\r", "");
    ch.basicPublish("amq.fanout", "", null, "m".getBytes(StandardCharsets.UTF_8));
    ch.queueUnbind("queue_test\n", "amq.fanout", "");
    assertThat(ch.queueDelete("queue_test\r\n").getMessageCount()).isEqualTo(1);
    assertChannelError(() -> conn.createChannel().queueDeclarePassive("queue_test"), 404,
        "NOT_FOUND - no queue 'queue_test' in vhost '/'");
  }

  @Test
  void lineBreaksAreStrippedFromExchangeNames() throws Exception {
    ch.exchangeDeclare("e\nxc\rhange\n\r_test\n\r", "fanout", false, false, null);
    ch.exchangeDeclarePassive("exchange_test");
    ch.exchangeDeclare("exchange_test\n", "fanout", false, false, null); // equivalent: the same exchange
    ch.exchangeBind("exchange_test\n", "amq.direct", "k");
    ch.exchangeUnbind("exchange_test", "amq.direct\r", "k");
    ch.exchangeDelete("exchange\n_test");
    assertChannelError(() -> conn.createChannel().exchangeDeclarePassive("exchange_test"), 404,
        "NOT_FOUND - no exchange 'exchange_test' in vhost '/'");
  }

  @Test
  void unbindingWhatDoesNotExistSucceeds() throws Exception {
    ch.queueUnbind("no-such-queue", "amq.direct", "k");
    ch.queueDeclare("unbind-q", false, false, true, null);
    ch.queueUnbind("unbind-q", "no-such-exchange", "k");
    ch.queueUnbind("unbind-q", "amq.direct", "never-bound");
    ch.exchangeUnbind("no-such-x", "no-such-y", "k");
    ch.exchangeUnbind("amq.topic", "amq.direct", "never-bound");
    assertThat(ch.isOpen()).isTrue();
    // the default exchange is still refused, as in RabbitMQ
    assertChannelError(() -> conn.createChannel().queueUnbind("unbind-q", "", "k"), 403,
        "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void ccOrBccThatIsNotAnArrayClosesTheChannel() throws Exception {
    ch.queueDeclare("cc-q", false, false, true, null);
    AMQP.BasicProperties cc = new AMQP.BasicProperties.Builder().headers(Map.of("CC", "cc-q")).build();
    ch.basicPublish("", "cc-q", cc, new byte[0]);
    AMQP.Channel.Close close = CloseReasons.awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText())
        .isEqualTo("PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"CC\",longstr}");
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(40);

    var ch2 = conn.createChannel();
    ch2.basicPublish("", "cc-q", new AMQP.BasicProperties.Builder().headers(Map.of("BCC", 7)).build(), new byte[0]);
    assertThat(CloseReasons.awaitChannelClosed(ch2).getReplyText())
        .isEqualTo("PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"BCC\",signedint}");

    var ch3 = conn.createChannel(); // an array still routes, and nothing was enqueued by the refused ones
    ch3.basicPublish("", "nowhere", new AMQP.BasicProperties.Builder().headers(Map.of("CC", List.of("cc-q")))
        .build(), "ok".getBytes(StandardCharsets.UTF_8));
    GetResponse r = BasicGets.one(ch3, "cc-q");
    assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("ok");
    assertThat(ch3.queueDeclarePassive("cc-q").getMessageCount()).isZero();
  }

  @Test
  void unknownExchangeTypeIsAConnectionError() throws Exception {
    AMQP.Connection.Close close = CloseReasons.connectionError(() -> ch.exchangeDeclare("weird-x", "foo"));
    assertThat(close.getReplyCode()).isEqualTo(503);
    assertThat(close.getReplyText()).isEqualTo("COMMAND_INVALID - invalid exchange type 'foo'");
    assertThat(close.getClassId()).isEqualTo(40);
    assertThat(close.getMethodId()).isEqualTo(10);
  }

  @Test
  void headersBindingOnALongStringMatchesTheSameBytesAsAByteArray() throws Exception {
    ch.exchangeDeclare("hx", "headers", false, true, null);
    ch.queueDeclare("h-str", false, false, true, null);
    ch.queueDeclare("h-bytes", false, false, true, null);
    ch.queueBind("h-str", "hx", "", Map.of("k", "abc"));
    ch.queueBind("h-bytes", "hx", "", Map.of("k", "abc".getBytes(StandardCharsets.UTF_8)));
    ch.basicPublish("hx", "", new AMQP.BasicProperties.Builder()
        .headers(Map.of("k", "abc".getBytes(StandardCharsets.UTF_8))).build(), "bytes".getBytes(StandardCharsets.UTF_8));
    ch.basicPublish("hx", "", new AMQP.BasicProperties.Builder().headers(Map.of("k", "abc")).build(),
        "string".getBytes(StandardCharsets.UTF_8));
    ch.basicPublish("hx", "", new AMQP.BasicProperties.Builder().headers(Map.of("k", "abd")).build(),
        "other".getBytes(StandardCharsets.UTF_8));
    assertThat(ch.queueDeclarePassive("h-str").getMessageCount()).isEqualTo(2);
    assertThat(ch.queueDeclarePassive("h-bytes").getMessageCount()).isEqualTo(2);
  }
}
