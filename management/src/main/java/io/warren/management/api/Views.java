package io.warren.management.api;

import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ChannelInfo;
import io.warren.management.spi.ConnectionInfo;
import io.warren.management.spi.ConsumerInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.LimitInfo;
import io.warren.management.spi.PermissionInfo;
import io.warren.management.spi.PolicyInfo;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.Stat;
import io.warren.management.spi.TopicPermissionInfo;
import io.warren.management.spi.UserInfo;
import io.warren.management.spi.VhostInfo;
import io.warren.management.stats.Sampler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON objects of RabbitMQ's API, field by field, built from SPI records. Confined to the management loop. */
public final class Views {
  private final String node;
  private final Sampler sampler;

  public Views(String node, Sampler sampler) {
    this.node = node;
    this.sampler = sampler;
  }

  public String node() {
    return node;
  }

  public Map<String, Object> queue(QueueInfo q) {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] rates = q.counters() == null ? new double[3] : q.counters().lengthRates();
    m.put("arguments", q.arguments());
    m.put("auto_delete", q.autoDelete());
    m.put("consumer_capacity", q.consumers() > 0 ? 1.0 : 0.0);
    m.put("consumer_utilisation", q.consumers() > 0 ? 1.0 : 0.0);
    m.put("consumers", q.consumers());
    m.put("durable", q.durable());
    m.put("effective_policy_definition", Map.of());
    m.put("exclusive", q.exclusive());
    m.put("exclusive_consumer_tag", q.exclusiveConsumerTag());
    m.put("message_bytes", q.messageBytes());
    m.put("message_bytes_ready", q.messageBytesReady());
    m.put("message_bytes_unacknowledged", q.messageBytesUnacknowledged());
    m.put("message_stats", Details.messageStats(q.counters(), Stat.PUBLISH, Stat.DELIVER, Stat.DELIVER_NO_ACK,
        Stat.GET, Stat.GET_NO_ACK, Stat.GET_EMPTY, Stat.ACK, Stat.REDELIVER));
    m.put("messages", q.messages());
    m.put("messages_details", Details.rate(rates[0]));
    m.put("messages_ready", q.messagesReady());
    m.put("messages_ready_details", Details.rate(rates[1]));
    m.put("messages_unacknowledged", q.messagesUnacknowledged());
    m.put("messages_unacknowledged_details", Details.rate(rates[2]));
    m.put("name", q.name());
    m.put("node", node);
    m.put("operator_policy", null);
    m.put("policy", q.policy());
    m.put("state", "running");
    m.put("type", q.type() == null ? "classic" : q.type());
    m.put("vhost", q.vhost());
    return m;
  }

  public Map<String, Object> exchange(ExchangeInfo e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", e.arguments());
    m.put("auto_delete", e.autoDelete());
    m.put("durable", e.durable());
    m.put("internal", e.internal());
    m.put("message_stats", Details.messageStats(e.counters(), Stat.PUBLISH_IN, Stat.PUBLISH_OUT));
    m.put("name", e.name());
    m.put("policy", e.policy());
    m.put("type", e.type());
    m.put("user_who_performed_action", "rmq-internal");
    m.put("vhost", e.vhost());
    return m;
  }

  public static Map<String, Object> binding(BindingInfo b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", b.source());
    m.put("vhost", b.vhost());
    m.put("destination", b.destination());
    m.put("destination_type", b.destinationType());
    m.put("routing_key", b.routingKey());
    m.put("arguments", b.arguments());
    m.put("properties_key", BindingKey.of(b.routingKey(), b.arguments()));
    return m;
  }

  public static Map<String, Object> vhost(VhostInfo v, boolean tracing) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.name());
    m.put("description", v.description());
    m.put("tags", v.tags());
    m.put("default_queue_type", v.defaultQueueType() == null ? "undefined" : v.defaultQueueType());
    m.put("metadata", Map.of("description", v.description(), "tags", v.tags()));
    m.put("tracing", tracing);
    m.put("cluster_state", Map.of());
    return m;
  }

  public static Map<String, Object> user(UserInfo u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("password_hash", u.passwordHash());
    m.put("hashing_algorithm", UserInfo.HASHING_ALGORITHM);
    m.put("tags", u.tags());
    m.put("limits", Map.of());
    return m;
  }

  public static Map<String, Object> permission(PermissionInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", p.user());
    m.put("vhost", p.vhost());
    m.put("configure", p.configure());
    m.put("write", p.write());
    m.put("read", p.read());
    return m;
  }

  public static Map<String, Object> topicPermission(TopicPermissionInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", p.user());
    m.put("vhost", p.vhost());
    m.put("exchange", p.exchange());
    m.put("write", p.write());
    m.put("read", p.read());
    return m;
  }

  public static Map<String, Object> policy(PolicyInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vhost", p.vhost());
    m.put("name", p.name());
    m.put("pattern", p.pattern());
    m.put("apply-to", p.applyTo());
    m.put("definition", new java.util.TreeMap<>(p.definition()));
    m.put("priority", p.priority());
    return m;
  }

  public static Map<String, Object> vhostLimits(LimitInfo l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vhost", l.owner());
    m.put("value", new java.util.TreeMap<>(l.value()));
    return m;
  }

  public static Map<String, Object> userLimits(LimitInfo l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", l.owner());
    m.put("value", new java.util.TreeMap<>(l.value()));
    return m;
  }

  public Map<String, Object> connection(ConnectionInfo c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auth_mechanism", "PLAIN");
    m.put("channel_max", c.channelMax());
    m.put("channels", c.channels());
    m.put("client_properties", c.clientProperties());
    m.put("connected_at", c.connectedAt());
    m.put("frame_max", c.frameMax());
    m.put("host", c.host());
    m.put("name", c.name());
    m.put("node", node);
    m.put("peer_host", c.peerHost());
    m.put("peer_port", c.peerPort());
    m.put("port", c.port());
    m.put("protocol", c.protocol());
    m.put("recv_cnt", c.receivedCount());
    m.put("recv_oct", c.receivedOctets());
    double[] octetRates = sampler.connectionOctetRates(c.name());
    m.put("recv_oct_details", Details.rate(octetRates[0]));
    m.put("send_cnt", c.sentCount());
    m.put("send_oct", c.sentOctets());
    m.put("send_oct_details", Details.rate(octetRates[1]));
    m.put("ssl", false);
    m.put("state", c.state());
    m.put("timeout", c.heartbeatSeconds());
    m.put("type", "network");
    m.put("user", c.user());
    if (c.clientProperties().get("connection_name") instanceof String given) {
      m.put("user_provided_name", given); // only when the client named it, as RabbitMQ
    }
    m.put("user_who_performed_action", c.user());
    m.put("vhost", c.vhost());
    return m;
  }

  public Map<String, Object> channel(ChannelInfo ch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acks_uncommitted", 0);
    m.put("confirm", ch.confirm());
    m.put("connection_details", Map.of("name", ch.connectionName()));
    m.put("consumer_count", ch.consumers());
    m.put("message_stats", Details.messageStats(ch.counters(), Stat.PUBLISH, Stat.CONFIRM, Stat.RETURN_UNROUTABLE,
        Stat.DELIVER, Stat.DELIVER_NO_ACK, Stat.GET, Stat.GET_NO_ACK, Stat.GET_EMPTY, Stat.ACK, Stat.REDELIVER));
    m.put("messages_unacknowledged", ch.messagesUnacknowledged());
    m.put("messages_unconfirmed", 0);
    m.put("name", ch.name());
    m.put("node", node);
    m.put("number", ch.number());
    m.put("prefetch_count", ch.prefetchCount());
    m.put("state", ch.state());
    m.put("transactional", ch.transactional());
    m.put("user", ch.user());
    m.put("user_who_performed_action", ch.user());
    m.put("vhost", ch.vhost());
    return m;
  }

  public static Map<String, Object> consumer(ConsumerInfo c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ack_required", c.ackRequired());
    m.put("active", true);
    m.put("activity_status", "up");
    m.put("arguments", c.arguments());
    m.put("channel_details", Map.of("connection_name", c.connectionName(), "name",
        c.connectionName() + " (" + c.channelNumber() + ")", "number", c.channelNumber()));
    m.put("consumer_tag", c.consumerTag());
    m.put("exclusive", c.exclusive());
    m.put("prefetch_count", c.prefetchCount());
    m.put("queue", Map.of("name", c.queue(), "vhost", c.vhost()));
    return m;
  }

  public static List<Map<String, Object>> all(List<?> items, java.util.function.Function<Object, Map<String, Object>> f) {
    return items.stream().map(f).toList();
  }
}
