package io.warren.server.it;

import static io.warren.server.it.CloseReasons.awaitChannelClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.Return;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** basic.publish: properties passed through untouched, mandatory returns and their order against confirms. */
class PublishIT extends ConnectionPerTest {

  static AMQP.BasicProperties allProperties() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("deep", Map.of("deeper", List.of(1, "two", 3L)));
    inner.put("flag", false);
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("string", "text ü");
    headers.put("int", 42);
    headers.put("long", 1L << 40);
    headers.put("short", (short) -7);
    headers.put("byte", (byte) 3);
    headers.put("bool", true);
    headers.put("float", 2.5f);
    headers.put("double", -1.25d);
    headers.put("decimal", new BigDecimal("12.345"));
    headers.put("timestamp", new Date(1_700_000_000_000L));
    headers.put("bytes", new byte[] {0, 1, (byte) 0xff});
    headers.put("array", List.of(1, "a", List.of(2, 3), Map.of("k", "v")));
    headers.put("table", inner);
    headers.put("void", null);
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .contentEncoding("gzip")
        .headers(headers)
        .deliveryMode(2)
        .priority(5)
        .correlationId("corr-1")
        .replyTo("reply-queue")
        .expiration("600000")
        .messageId("msg-1")
        .timestamp(new Date(1_700_000_123_000L))
        .type("order.created")
        .userId("guest")
        .appId("warren-it")
        .clusterId("cluster-x")
        .build();
  }

  static void assertSameProperties(AMQP.BasicProperties got, AMQP.BasicProperties sent) {
    assertThat(got.getContentType()).isEqualTo(sent.getContentType());
    assertThat(got.getContentEncoding()).isEqualTo(sent.getContentEncoding());
    assertThat(got.getDeliveryMode()).isEqualTo(sent.getDeliveryMode());
    assertThat(got.getPriority()).isEqualTo(sent.getPriority());
    assertThat(got.getCorrelationId()).isEqualTo(sent.getCorrelationId());
    assertThat(got.getReplyTo()).isEqualTo(sent.getReplyTo());
    assertThat(got.getExpiration()).isEqualTo(sent.getExpiration());
    assertThat(got.getMessageId()).isEqualTo(sent.getMessageId());
    assertThat(got.getTimestamp()).isEqualTo(sent.getTimestamp());
    assertThat(got.getType()).isEqualTo(sent.getType());
    assertThat(got.getUserId()).isEqualTo(sent.getUserId());
    assertThat(got.getAppId()).isEqualTo(sent.getAppId());
    assertThat(got.getClusterId()).isEqualTo(sent.getClusterId());
    assertThat(plain(got.getHeaders())).isEqualTo(plain(sent.getHeaders()));
    // field order too: nothing re-encoded the table
    assertThat(got.getHeaders().keySet()).containsExactlyElementsOf(sent.getHeaders().keySet());
  }

  /** The client decodes strings as LongString and arrays as byte[]: compare by value. */
  static Object plain(Object v) {
    if (v instanceof LongString s) {
      return s.toString();
    } else if (v instanceof byte[] b) {
      return Arrays.toString(b);
    } else if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, plain(x)));
      return out;
    } else if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    return v;
  }

  @Test
  void allFourteenPropertiesAndNestedHeadersArriveUnchanged() throws Exception {
    ch.queueDeclare("pub-props", false, false, false, null);
    AMQP.BasicProperties sent = allProperties();
    byte[] body = "{\"id\":1}".getBytes();
    ch.basicPublish("", "pub-props", sent, body);
    ch.basicPublish("", "pub-props", sent, body);

    GetResponse r = ch.basicGet("pub-props", true);
    assertSameProperties(r.getProps(), sent);
    assertThat(r.getBody()).isEqualTo(body);

    BlockingQueue<AMQP.BasicProperties> delivered = new ArrayBlockingQueue<>(1);
    ch.basicConsume("pub-props", true, new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] b) {
        delivered.add(p);
      }
    });
    assertSameProperties(delivered.poll(10, TimeUnit.SECONDS), sent);
  }

  @Test
  void noPropertiesAtAllStayAbsent() throws Exception {
    ch.queueDeclare("pub-no-props", false, false, false, null);
    ch.basicPublish("", "pub-no-props", null, new byte[] {1});
    AMQP.BasicProperties p = ch.basicGet("pub-no-props", true).getProps();
    assertThat(p.getHeaders()).isNull();
    assertThat(p.getContentType()).isNull();
    assertThat(p.getDeliveryMode()).isNull();
    assertThat(p.getTimestamp()).isNull();
  }

  @Test
  void aMandatoryUnroutablePublishIsReturnedBeforeItsConfirm() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    List<Return> returns = new CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> {
      returns.add(r);
      events.add("return:" + new String(r.getBody()));
    });
    ch.addConfirmListener(new ConfirmListener() {
      @Override
      public void handleAck(long tag, boolean multiple) {
        events.add("ack:" + tag);
      }

      @Override
      public void handleNack(long tag, boolean multiple) {
        events.add("nack:" + tag);
      }
    });
    ch.confirmSelect();
    ch.queueDeclare("pub-mandatory", false, false, false, null);
    AMQP.BasicProperties props = allProperties();
    for (int i = 1; i <= 3; i++) {
      ch.basicPublish("amq.direct", "nowhere", true, props, ("m" + i).getBytes());
    }
    // routable mandatory and unroutable non-mandatory publishes are not returned
    ch.basicPublish("", "pub-mandatory", true, null, "routed".getBytes());
    ch.basicPublish("amq.direct", "nowhere", false, null, "dropped".getBytes());
    ch.waitForConfirmsOrDie(10_000);
    await().until(() -> returns.size() == 3);

    // each return comes before the ack that covers its publish
    for (int i = 1; i <= 3; i++) {
      int returnAt = events.indexOf("return:m" + i);
      assertThat(returnAt).isNotNegative();
      int ackAt = -1;
      for (int e = 0; e < events.size(); e++) {
        if (events.get(e).startsWith("ack:") && Long.parseLong(events.get(e).substring(4)) >= i) {
          ackAt = e;
          break;
        }
      }
      assertThat(returnAt).as("events %s", events).isLessThan(ackAt);
    }
    Return r = returns.get(0);
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
    assertThat(r.getExchange()).isEqualTo("amq.direct");
    assertThat(r.getRoutingKey()).isEqualTo("nowhere");
    assertThat(r.getBody()).isEqualTo("m1".getBytes());
    assertSameProperties(r.getProperties(), props);
    assertThat(events).noneMatch(e -> e.startsWith("nack"));
    assertThat(ch.queueDeclarePassive("pub-mandatory").getMessageCount()).isEqualTo(1);
  }

  @Test
  void aMandatoryPublishToTheDefaultExchangeWithoutSuchQueueIsReturned() throws Exception {
    BlockingQueue<Return> returns = new ArrayBlockingQueue<>(1);
    ch.addReturnListener(returns::add);
    ch.basicPublish("", "pub-no-such-queue", true, null, new byte[0]);
    Return r = returns.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getExchange()).isEmpty();
    assertThat(r.getRoutingKey()).isEqualTo("pub-no-such-queue");
    assertThat(r.getBody()).isEmpty();
  }

  @Test
  void publishingToAMissingExchangeClosesTheChannel() throws Exception {
    ch.basicPublish("pub-no-exchange", "k", null, new byte[] {1});
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(404);
    assertThat(close.getReplyText()).isEqualTo("NOT_FOUND - no exchange 'pub-no-exchange' in vhost '/'");
  }

  @Test
  void aForeignUserIdIsRefused() throws Exception {
    ch.queueDeclare("pub-user-id", false, false, false, null);
    ch.basicPublish("", "pub-user-id", new AMQP.BasicProperties.Builder().userId("mallory").build(), new byte[0]);
    AMQP.Channel.Close close = awaitChannelClosed(ch);
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText())
        .isEqualTo("PRECONDITION_FAILED - user_id property set to 'mallory' but authenticated user was 'guest'");
  }
}
