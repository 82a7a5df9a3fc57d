package io.warren.server.admin;

import io.warren.management.spi.AdminException;
import io.warren.management.spi.BindingInfo;
import io.warren.management.spi.ExchangeInfo;
import io.warren.management.spi.QueueInfo;
import io.warren.management.spi.QueueSpec;
import io.warren.management.spi.QueueTotals;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.server.config.Policies;
import io.warren.server.config.Policy;
import io.warren.server.vhost.BrokerVhost;
import io.warren.server.vhost.DeclaredQueue;
import io.warren.server.vhost.FieldJson;
import io.warren.store.QueueSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Queues, exchanges and bindings for the management API, through the same vhost methods the AMQP channel uses, so
 * validation, logging of durable definitions and errors are those of queue.declare, exchange.declare and bind.
 * Called on the management event loop; waits (bounded) only for a queue's own executor.
 */
final class TopologyAdmin {
  private static final long WAIT_SECONDS = 10;
  private final Function<String, BrokerVhost> vhosts;
  private final java.util.function.Supplier<Collection<BrokerVhost>> all;
  private final Function<String, Policies> policies;
  private final QueueListing listing;

  TopologyAdmin(Function<String, BrokerVhost> vhosts, java.util.function.Supplier<Collection<BrokerVhost>> all,
      Function<String, Policies> policies) {
    this.vhosts = vhosts;
    this.all = all;
    this.policies = policies;
    this.listing = new QueueListing(policies);
  }

  BrokerVhost vhost(String name) {
    BrokerVhost v = vhosts.apply(name);
    if (v == null) {
      throw AdminException.notFound("vhost '" + name + "' not found");
    }
    return v;
  }

  /** The vhost named, or every vhost by name when {@code vhost} is null. */
  private List<BrokerVhost> scope(String vhost) {
    if (vhost == null) {
      List<BrokerVhost> every = new ArrayList<>(all.get());
      every.sort(java.util.Comparator.comparing(BrokerVhost::name));
      return every;
    }
    BrokerVhost v = vhosts.apply(vhost);
    return v == null ? List.of() : List.of(v);
  }

  List<QueueInfo> queues(String vhost) {
    List<BrokerVhost> scope = scope(vhost);
    if (vhost == null) {
      listing.retain(scope.stream().map(BrokerVhost::name).collect(java.util.stream.Collectors.toSet()));
    }
    return listing.list(scope);
  }

  void visitQueues(io.warren.management.spi.ManagedBroker.QueueVisitor visitor) {
    listing.visit(List.copyOf(all.get()), visitor);
  }

  QueueTotals queueTotals(String vhost) {
    return listing.totals(scope(vhost));
  }

  QueueInfo queue(String vhost, String name) {
    BrokerVhost v = vhosts.apply(vhost);
    DeclaredQueue q = v == null ? null : v.queue(name);
    return q == null || q.queue().isDeleted() ? null : QueueListing.info(vhost, policies.apply(vhost), q);
  }

  void declareQueue(QueueSpec spec) {
    BrokerVhost v = vhost(spec.vhost());
    if (spec.name().startsWith("amq.")) {
      throw AdminException.forbidden("ACCESS_REFUSED - queue name '" + spec.name()
          + "' contains reserved prefix 'amq.*'");
    }
    Failures.run(() -> v.declare(new QueueSettings(spec.name(), spec.durable(), false, spec.autoDelete(),
        FieldJson.toTable(spec.arguments())), null));
  }

  void deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
    BrokerVhost v = vhost(vhost);
    DeclaredQueue q = v.queue(name);
    if (q == null) {
      throw AdminException.notFound("queue '" + name + "' not found in vhost '" + vhost + "'");
    }
    await(v.delete(q, ifUnused, ifEmpty));
  }

  long purge(String vhost, String name) {
    DeclaredQueue q = vhost(vhost).queue(name);
    if (q == null) {
      throw AdminException.notFound("queue '" + name + "' not found in vhost '" + vhost + "'");
    }
    return await(q.queue().purge());
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw Failures.of(e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
    } catch (TimeoutException e) {
      throw new AdminException(503, "timeout", "the queue did not answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException(503, "interrupted", "interrupted");
    }
  }

  List<ExchangeInfo> exchanges(String vhost) {
    List<ExchangeInfo> out = new ArrayList<>();
    for (BrokerVhost v : scope(vhost)) {
      for (Exchange e : v.routing().exchanges()) {
        out.add(info(v, e));
      }
    }
    out.sort(java.util.Comparator.comparing(ExchangeInfo::vhost).thenComparing(ExchangeInfo::name));
    return out;
  }

  ExchangeInfo exchange(String vhost, String name) {
    BrokerVhost v = vhosts.apply(vhost);
    return v == null ? null : v.routing().exchange(name).map(e -> info(v, e)).orElse(null);
  }

  private ExchangeInfo info(BrokerVhost v, Exchange e) {
    String vhost = v.name();
    Policy p = e.name().isEmpty() ? null : policies.apply(vhost).forExchange(vhost, e.name());
    return new ExchangeInfo(vhost, e.name(), e.type().wireName(), e.durable(), e.autoDelete(), e.internal(),
        FieldJson.of(e.arguments()), p == null ? null : p.name(), v.exchangeCounters().find(e.name()));
  }

  void declareExchange(ExchangeInfo spec) {
    BrokerVhost v = vhost(spec.vhost());
    Failures.run(() -> v.declareExchange(new Exchange(spec.name(), ExchangeType.of(spec.type()), spec.durable(),
        spec.autoDelete(), spec.internal(), FieldJson.toTable(spec.arguments()))));
  }

  void deleteExchange(String vhost, String name, boolean ifUnused) {
    BrokerVhost v = vhost(vhost);
    if (v.routing().exchange(name).isEmpty()) {
      throw AdminException.notFound("exchange '" + name + "' not found in vhost '" + vhost + "'");
    }
    Failures.run(() -> v.deleteExchange(name, ifUnused));
  }

  /** Every binding, with the default exchange's implicit one per queue first, as RabbitMQ lists them. */
  List<BindingInfo> bindings(String vhost) {
    List<BindingInfo> out = new ArrayList<>();
    for (BrokerVhost v : scope(vhost)) {
      for (DeclaredQueue q : v.queues()) {
        out.add(new BindingInfo(v.name(), "", q.name(), "queue", q.name(), Map.of()));
      }
      for (Binding b : v.routing().bindings()) {
        out.add(info(v.name(), b));
      }
    }
    return out;
  }

  private static BindingInfo info(String vhost, Binding b) {
    return new BindingInfo(vhost, b.source(), b.destination().name(),
        b.destination().kind() == Destination.Kind.QUEUE ? "queue" : "exchange", b.routingKey(),
        FieldJson.of(b.arguments()));
  }

  void bind(BindingInfo b) {
    BrokerVhost v = vhost(b.vhost());
    if (b.source().isEmpty()) {
      throw AdminException.badRequest("ACCESS_REFUSED - operation not permitted on the default exchange");
    }
    if (v.routing().exchange(b.source()).isEmpty()) {
      throw AdminException.notFound("NOT_FOUND - no exchange '" + b.source() + "' in vhost '" + b.vhost() + "'");
    }
    Destination d;
    if (b.destinationType().equals("queue")) {
      if (v.queue(b.destination()) == null) {
        throw AdminException.notFound("NOT_FOUND - no queue '" + b.destination() + "' in vhost '" + b.vhost() + "'");
      }
      d = Destination.queue(b.destination());
    } else {
      if (v.routing().exchange(b.destination()).isEmpty()) {
        throw AdminException.notFound("NOT_FOUND - no exchange '" + b.destination() + "' in vhost '" + b.vhost()
            + "'");
      }
      d = Destination.exchange(b.destination());
    }
    Failures.run(() -> v.bind(new Binding(b.source(), d, b.routingKey(), FieldJson.toTable(b.arguments()))));
  }

  boolean unbind(BindingInfo b) {
    BrokerVhost v = vhost(b.vhost());
    for (Binding existing : v.routing().bindings()) {
      if (info(b.vhost(), existing).equals(b)) {
        Failures.run(() -> v.unbind(existing));
        return true;
      }
    }
    return false;
  }
}
