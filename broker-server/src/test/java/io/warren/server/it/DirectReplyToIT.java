package io.warren.server.it;

import static io.warren.server.it.CloseReasons.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.RpcServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Direct reply-to as RabbitMQ does it: a no-ack consumer on amq.rabbitmq.reply-to, requests whose reply-to is
 * rewritten to the channel's own reply name, and replies to that name delivered straight to the channel.
 */
class DirectReplyToIT extends ConnectionPerTest {
  private static final String REPLY_TO = "amq.rabbitmq.reply-to";

  @Test
  void aRequestCarriesAReplyNameAndTheReplyComesStraightBack() throws Exception {
    BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
    BlockingQueue<String> tags = new LinkedBlockingQueue<>();
    String tag = ch.basicConsume(REPLY_TO, true, (t, d) -> {
      tags.add(t);
      replies.add(d);
    }, t -> { });
    String requests = ch.queueDeclare("", false, false, true, null).getQueue();
    ch.basicPublish("", requests, props(REPLY_TO, "c1"), bytes("request"));

    try (Connection serverConn = broker.connect()) {
      Channel server = serverConn.createChannel();
      GetResponse request = BasicGets.one(server, requests);
      String replyName = request.getProps().getReplyTo();
      assertThat(replyName).startsWith(REPLY_TO + ".").hasSizeGreaterThan(REPLY_TO.length() + 20);
      AMQP.Queue.DeclareOk declared = server.queueDeclarePassive(replyName);
      assertThat(declared.getQueue()).isEqualTo(replyName);
      assertThat(declared.getConsumerCount()).isEqualTo(1);
      server.confirmSelect();
      server.basicPublish("", replyName, props(null, "c1"), bytes("reply"));
      server.waitForConfirmsOrDie(5_000); // a reply is confirmed like any routed message

      Delivery reply = replies.poll(5, TimeUnit.SECONDS);
      assertThat(reply).isNotNull();
      assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).isEqualTo("reply");
      assertThat(reply.getEnvelope().getExchange()).isEmpty();
      assertThat(reply.getEnvelope().getRoutingKey()).isEqualTo(replyName);
      assertThat(reply.getEnvelope().isRedeliver()).isFalse();
      assertThat(reply.getProperties().getCorrelationId()).isEqualTo("c1");
      assertThat(tags.poll()).isEqualTo(tag);

      // only the default exchange delivers to reply names, and a name must be exact
      server.basicPublish("amq.direct", replyName, null, bytes("via amq.direct"));
      char last = replyName.charAt(replyName.length() - 1);
      String forged = replyName.substring(0, replyName.length() - 1) + (last == 'A' ? 'B' : 'A');
      server.basicPublish("", forged, null, bytes("forged"));
      server.basicPublish("", replyName, null, bytes("second"));
      assertThat(new String(replies.poll(5, TimeUnit.SECONDS).getBody(), StandardCharsets.UTF_8)).isEqualTo("second");
      assertThat(replies).isEmpty();
    }
  }

  @Test
  void theConsumerMustBeNoAckAndAlone() throws Exception {
    Channel acking = conn.createChannel();
    assertChannelError(() -> acking.basicConsume(REPLY_TO, false, new DefaultConsumer(acking)), 406,
        "PRECONDITION_FAILED - reply consumer cannot acknowledge");
    ch.basicConsume(REPLY_TO, true, new DefaultConsumer(ch));
    AMQP.Channel.Close close = CloseReasons.channelError(() -> ch.basicConsume(REPLY_TO, true, new DefaultConsumer(ch)));
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - reply consumer already set");
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(20);
    // other channels consume replies independently, each under its own name
    Channel other = conn.createChannel();
    other.basicConsume(REPLY_TO, true, new DefaultConsumer(other));
  }

  @Test
  void publishingWithReplyToWithoutConsumingIsRefused() throws Exception {
    ch.basicPublish("", "anywhere", props(REPLY_TO, null), bytes("request"));
    AMQP.Channel.Close close = CloseReasons.awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText()).isEqualTo("PRECONDITION_FAILED - fast reply consumer does not exist");
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(40);
  }

  @Test
  void repliesToAVanishedConsumerAreDroppedAndMandatoryOnesReturned() throws Exception {
    Channel requester = conn.createChannel();
    String tag = requester.basicConsume(REPLY_TO, true, new DefaultConsumer(requester));
    String requests = ch.queueDeclare("", false, true, true, null).getQueue();
    requester.basicPublish("", requests, props(REPLY_TO, null), bytes("request"));
    String replyName = BasicGets.one(ch, requests).getProps().getReplyTo();
    requester.basicCancel(tag);

    BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
    ch.addReturnListener(returns::add);
    ch.basicPublish("", replyName, true, null, bytes("late, mandatory"));
    ch.basicPublish("", replyName, false, null, bytes("late"));
    Return r = returns.poll(5, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
    assertThat(r.getRoutingKey()).isEqualTo(replyName);
    assertChannelError(() -> ch.queueDeclarePassive(replyName), 404,
        "NOT_FOUND - no queue '" + replyName + "' in vhost '/'");

    // a closed channel's name is gone too; the publisher is not disturbed
    Channel closing = conn.createChannel();
    closing.basicConsume(REPLY_TO, true, new DefaultConsumer(closing));
    Channel publisher = conn.createChannel();
    closing.basicPublish("", requests, props(REPLY_TO, null), bytes("request"));
    String closedName = BasicGets.one(publisher, requests).getProps().getReplyTo();
    closing.close();
    publisher.confirmSelect();
    publisher.basicPublish("", closedName, null, bytes("to nobody"));
    publisher.waitForConfirmsOrDie(5_000);
    assertThat(publisher.isOpen()).isTrue();
    assertThat(returns).isEmpty();
  }

  @Test
  void declaringThePseudoQueueAnswersOneConsumer() throws Exception {
    AMQP.Queue.DeclareOk passive = ch.queueDeclarePassive(REPLY_TO);
    assertThat(passive.getQueue()).isEqualTo(REPLY_TO);
    assertThat(passive.getMessageCount()).isZero();
    assertThat(passive.getConsumerCount()).isEqualTo(1);
    assertThat(ch.queueDeclare(REPLY_TO, false, false, false, null).getQueue()).isEqualTo(REPLY_TO);
    assertChannelError(() -> ch.queueDeclarePassive(REPLY_TO + ".bogus"), 404,
        "NOT_FOUND - no queue 'amq.rabbitmq.reply-to.bogus' in vhost '/'");
  }

  @Test
  void theJavaClientsRpcHelpersWorkOverDirectReplyTo() throws Exception {
    Channel serverChannel = conn.createChannel();
    String queue = serverChannel.queueDeclare("rpc-upper", false, false, true, null).getQueue();
    RpcServer server = new RpcServer(serverChannel, queue) {
      @Override
      public byte[] handleCall(byte[] request, AMQP.BasicProperties reply) {
        return new String(request, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
      }
    };
    Thread loop = new Thread(() -> {
      try {
        server.mainloop();
      } catch (Exception e) {
        // terminated by close() below
      }
    }, "rpc-server");
    loop.start();
    try {
      RpcClient client = new RpcClient(new RpcClientParams().channel(ch).exchange("").routingKey(queue)
          .timeout(5_000)); // reply-to amq.rabbitmq.reply-to is the default
      for (String word : new String[] {"one", "two", "three"}) {
        assertThat(client.stringCall(word)).isEqualTo(word.toUpperCase());
      }
      client.close();
    } finally {
      server.terminateMainloop();
      loop.interrupt(); // the main loop waits for the next request otherwise
      loop.join(5_000);
      server.close();
    }
  }

  private static AMQP.BasicProperties props(String replyTo, String correlationId) {
    return new AMQP.BasicProperties.Builder().replyTo(replyTo).correlationId(correlationId).build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
