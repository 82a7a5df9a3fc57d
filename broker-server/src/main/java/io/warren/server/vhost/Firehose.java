package io.warren.server.vhost;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.LongString;
import io.warren.routing.VirtualHost;
import io.warren.store.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One vhost's firehose tracer while tracing is on, as RabbitMQ's {@code trace_on}: every message published into the
 * vhost is also published to its internal topic exchange {@code amq.rabbitmq.trace} with the routing key
 * {@code publish.<exchange>}, and every delivery (to a consumer or a basic.get) with {@code deliver.<queue>}. A trace
 * carries the original body (shared, never copied) and RabbitMQ's headers: {@code exchange_name}, {@code routing_keys}
 * (the key, then the CC and BCC keys), {@code properties} (the original's set properties as a table), {@code node},
 * {@code vhost}, {@code connection}, {@code channel}, {@code user}, plus {@code routed_queues} on publish and
 * {@code redelivered} (0 or 1) on delivery. Trace messages are transient and never traced themselves.
 *
 * <p>Immutable; called on connections' event loops. Publishing a trace goes through {@link Republisher}, the path of
 * every broker-made message, and never blocks. Nothing is built while no queue is bound to the trace exchange.
 */
public final class Firehose {
  public static final String EXCHANGE = VirtualHost.TRACE_EXCHANGE;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Firehose.class);

  private final BrokerVhost vhost;
  private final String node;
  private final Clock clock;

  /** Who published or received a message: a channel of a connection, and its user. */
  public record Origin(String connection, int channel, String user) {
    public Origin {
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(user, "user");
    }
  }

  /** @param node the node name the traces carry (the management API's node name) */
  public Firehose(BrokerVhost vhost, String node, Clock clock) {
    this.vhost = Objects.requireNonNull(vhost, "vhost");
    this.node = Objects.requireNonNull(node, "node");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A client published a message (after routing, whether or not any queue took it).
   *
   * @param props the message's properties as published (BCC included: its keys are traced, the header is not)
   * @param routed the queues the message was routed to
   * @param body the message body; not released here
   */
  public void published(Origin who, String exchange, String routingKey, BasicProperties props,
      Collection<String> routed, ByteBuf body) {
    if (exchange.equals(EXCHANGE) || !listened()) {
      return;
    }
    try {
      Map<String, Object> headers = described(exchange, routingKey, props);
      origin(headers, who);
      headers.put("routed_queues", List.copyOf(routed));
      send("publish." + exchange, headers, body);
    } catch (RuntimeException e) {
      lost(e); // a trace never fails the publish it describes
    }
  }

  /** A message was delivered to a consumer or a basic.get of {@code who} from {@code queue}. */
  public void delivered(Origin who, String queue, boolean redelivered, Message message) {
    if (message.exchange().equals(EXCHANGE) || !listened()) {
      return;
    }
    try {
      BasicProperties props = BasicProperties.decode(message.rawProperties().duplicate());
      Map<String, Object> headers = described(message.exchange(), message.routingKey(), props);
      headers.put("redelivered", redelivered ? 1 : 0);
      origin(headers, who);
      send("deliver." + queue, headers, message.body());
    } catch (RuntimeException e) {
      lost(e); // nor the delivery
    }
  }

  private void lost(RuntimeException e) {
    LOG.warn("A firehose trace in vhost '{}' was lost: {}", vhost.name(), e.toString());
  }

  /** True when some queue or exchange is bound to the trace exchange: otherwise a trace would go nowhere. */
  private boolean listened() {
    return !vhost.routing().bindingsFrom(EXCHANGE).isEmpty();
  }

  private Map<String, Object> described(String exchange, String routingKey, BasicProperties props) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("exchange_name", exchange);
    headers.put("routing_keys", routingKeys(routingKey, props.headers()));
    headers.put("properties", table(props));
    headers.put("node", node);
    return headers;
  }

  private void origin(Map<String, Object> headers, Origin who) {
    headers.put("vhost", vhost.name());
    headers.put("connection", who.connection());
    headers.put("channel", who.channel());
    headers.put("user", who.user());
  }

  private void send(String routingKey, Map<String, Object> headers, ByteBuf body) {
    ByteBuf raw = body.alloc().buffer();
    try {
      BasicProperties.builder().headers(headers).build().encode(raw);
    } catch (RuntimeException e) {
      raw.release();
      throw e;
    }
    Republisher.publish(vhost, new Republisher.Outgoing(EXCHANGE, routingKey, Map.of(), raw,
        body.retainedDuplicate(), false, 0, clock.millis(), Message.NEVER), null);
  }

  /** The publish key followed by the CC and BCC keys, as RabbitMQ lists a message's routing keys. */
  static List<String> routingKeys(String routingKey, Map<String, Object> headers) {
    List<String> keys = new ArrayList<>();
    keys.add(routingKey);
    if (headers != null) {
      addKeys(keys, headers.get("CC"));
      addKeys(keys, headers.get("BCC"));
    }
    return keys;
  }

  private static void addKeys(List<String> keys, Object header) {
    if (header instanceof List<?> list) {
      for (Object key : list) {
        if (key instanceof CharSequence || key instanceof LongString) {
          keys.add(key.toString());
        }
      }
    }
  }

  /**
   * The properties that are set, under their AMQP names, typed as RabbitMQ types them: text as longstr, numbers as
   * signedint (a timestamp beyond its range as a long), the headers as a table without BCC (never delivered).
   */
  static Map<String, Object> table(BasicProperties p) {
    Map<String, Object> t = new LinkedHashMap<>();
    put(t, "content_type", p.contentType());
    put(t, "content_encoding", p.contentEncoding());
    if (p.headers() != null) {
      Map<String, Object> headers = new LinkedHashMap<>(p.headers());
      headers.remove("BCC");
      t.put("headers", headers);
    }
    put(t, "delivery_mode", p.deliveryMode());
    put(t, "priority", p.priority());
    put(t, "correlation_id", p.correlationId());
    put(t, "reply_to", p.replyTo());
    put(t, "expiration", p.expiration());
    put(t, "message_id", p.messageId());
    if (p.timestamp() != null) {
      long ts = p.timestamp();
      t.put("timestamp", ts == (int) ts ? (Object) (int) ts : (Object) ts);
    }
    put(t, "type", p.type());
    put(t, "user_id", p.userId());
    put(t, "app_id", p.appId());
    put(t, "cluster_id", p.clusterId());
    return t;
  }

  private static void put(Map<String, Object> table, String name, Object value) {
    if (value != null) {
      table.put(name, value);
    }
  }
}
