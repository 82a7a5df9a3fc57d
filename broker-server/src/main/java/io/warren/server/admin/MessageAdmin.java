package io.warren.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.management.spi.AdminException;
import io.warren.management.spi.GetRequest;
import io.warren.management.spi.GotMessage;
import io.warren.management.spi.MessageCounters;
import io.warren.management.spi.PublishRequest;
import io.warren.management.spi.Stat;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.server.vhost.FieldJson;
import io.warren.server.vhost.Republisher;
import io.warren.store.GetCallback;
import io.warren.store.GetResult;
import io.warren.store.Message;
import io.warren.store.QueueEntry;
import io.warren.store.QueueException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POST .../get and .../publish of the management API. Publishing goes through the broker's one publish path for
 * broker-made messages (route, log once for durable queues, enqueue); getting takes messages like basic.get and,
 * for the requeue modes, puts them back as redelivered, as RabbitMQ does. Management event loop.
 */
final class MessageAdmin {
  private final TopologyAdmin topology;
  private final MessageCounters node;
  private final Clock clock;

  MessageAdmin(TopologyAdmin topology, MessageCounters node, Clock clock) {
    this.topology = topology;
    this.node = node;
    this.clock = clock;
  }

  boolean publish(PublishRequest r) {
    BrokerVhost v = topology.vhost(r.vhost());
    if (v.routing().exchange(r.exchange()).isEmpty()) {
      throw AdminException.notFound("NOT_FOUND - no exchange '" + r.exchange() + "' in vhost '" + r.vhost() + "'");
    }
    BasicProperties props = properties(r.properties());
    ByteBuf raw = PooledByteBufAllocator.DEFAULT.buffer();
    props.encode(raw);
    ByteBuf body = Unpooled.wrappedBuffer(r.payload());
    Map<String, Object> headers = props.headers() == null ? Map.of() : props.headers();
    int prio = props.priority() == null ? 0 : Math.max(0, Math.min(255, props.priority()));
    long[] logged = {-1};
    int taken = Failures.call(() -> Republisher.publish(v, new Republisher.Outgoing(r.exchange(), r.routingKey(),
        headers, raw, body, props.persistent(), prio, clock.millis(), Message.NEVER), null, p -> logged[0] = p));
    if (logged[0] >= 0) {
      awaitDurable(v, logged[0]);
    }
    node.add(Stat.PUBLISH);
    v.counters().add(Stat.PUBLISH);
    MessageCounters exchange = v.exchangeCounters().of(r.exchange());
    exchange.add(Stat.PUBLISH_IN);
    exchange.add(Stat.PUBLISH_OUT, taken);
    if (taken == 0) {
      node.add(Stat.DROP_UNROUTABLE);
      v.counters().add(Stat.DROP_UNROUTABLE);
    }
    return taken > 0;
  }

  /**
   * A persistent message routed to a durable queue is answered only once it is in the log (fsynced, and on the
   * mirror's in-sync backup too), as RabbitMQ's management publish answers after its publisher confirm: "routed"
   * then means it survives a restart.
   */
  private static void awaitDurable(BrokerVhost v, long position) {
    try {
      v.store().log().syncedTo(position).get(DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException(500, "internal_server_error", "interrupted waiting for the message to be stored");
    } catch (ExecutionException | TimeoutException e) {
      throw new AdminException(500, "internal_server_error", "the message was routed but could not be stored: "
          + (e.getCause() != null ? e.getCause().getMessage() : "not durable within " + DURABLE_TIMEOUT_SECONDS + " s"));
    }
  }

  private static final int DURABLE_TIMEOUT_SECONDS = 30;

  @SuppressWarnings("unchecked")
  private static BasicProperties properties(Map<String, Object> p) {
    BasicProperties.Builder b = BasicProperties.builder();
    b.contentType((String) p.get("content_type")).contentEncoding((String) p.get("content_encoding"))
        .correlationId((String) p.get("correlation_id")).replyTo((String) p.get("reply_to"))
        .expiration((String) p.get("expiration")).messageId((String) p.get("message_id")).type((String) p.get("type"))
        .userId((String) p.get("user_id")).appId((String) p.get("app_id")).clusterId((String) p.get("cluster_id"));
    if (p.get("delivery_mode") instanceof Number n) {
      b.deliveryMode(n.intValue());
    }
    if (p.get("priority") instanceof Number n) {
      b.priority(n.intValue());
    }
    if (p.get("timestamp") instanceof Number n) {
      b.timestamp(n.longValue());
    }
    if (p.get("headers") instanceof Map<?, ?> h) {
      b.headers(FieldJson.toTable((Map<String, Object>) h));
    }
    return b.build();
  }

  List<GotMessage> get(GetRequest r) {
    BrokerVhost v = topology.vhost(r.vhost());
    DeclaredQueue q = v.queue(r.queue());
    if (q == null) {
      throw AdminException.notFound("queue '" + r.queue() + "' not found in vhost '" + r.vhost() + "'");
    }
    if (q.owner() != null) {
      throw AdminException.badRequest("RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '"
          + r.queue() + "' in vhost '" + r.vhost() + "'");
    }
    boolean noAck = !r.requeue();
    List<GotMessage> out = new ArrayList<>();
    List<QueueEntry> held = new ArrayList<>();
    try {
      for (int i = 0; i < r.count(); i++) {
        GetResult got = TopologyAdmin.await(take(q, noAck));
        if (got.isEmpty()) {
          break;
        }
        QueueEntry e = got.entry();
        Message m = e.message();
        try {
          out.add(new GotMessage(m.exchange(), m.routingKey(), e.redelivered(), got.messageCount(),
              json(BasicProperties.decode(m.rawProperties().duplicate())), ByteBufUtil.getBytes(m.body())));
        } finally {
          if (noAck) {
            m.release();
          } else {
            held.add(e);
          }
        }
        Stat s = noAck ? Stat.GET_NO_ACK : Stat.GET;
        node.add(s);
        v.counters().add(s);
        q.counters().add(s);
      }
    } finally {
      if (!held.isEmpty()) {
        q.queue().requeue(held);
      }
    }
    return out;
  }

  private static CompletableFuture<GetResult> take(DeclaredQueue q, boolean noAck) {
    CompletableFuture<GetResult> f = new CompletableFuture<>();
    q.queue().get(noAck, new GetCallback() {
      @Override
      public void onResult(GetResult r) {
        f.complete(r);
      }

      @Override
      public void onFailure(QueueException failure) {
        f.completeExceptionally(failure);
      }
    });
    return f;
  }

  /** The properties under RabbitMQ's JSON names, absent ones left out. */
  static Map<String, Object> json(BasicProperties p) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "content_type", p.contentType());
    put(m, "content_encoding", p.contentEncoding());
    if (p.headers() != null) {
      m.put("headers", FieldJson.of(p.headers()));
    }
    put(m, "delivery_mode", p.deliveryMode());
    put(m, "priority", p.priority());
    put(m, "correlation_id", p.correlationId());
    put(m, "reply_to", p.replyTo());
    put(m, "expiration", p.expiration());
    put(m, "message_id", p.messageId());
    put(m, "timestamp", p.timestamp());
    put(m, "type", p.type());
    put(m, "user_id", p.userId());
    put(m, "app_id", p.appId());
    put(m, "cluster_id", p.clusterId());
    return m;
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
