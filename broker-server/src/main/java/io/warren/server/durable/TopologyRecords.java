package io.warren.server.durable;

import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.store.QueueSettings;
import java.util.Objects;

/**
 * Records of a vhost's durable exchanges, queues and bindings. Layouts after kind and version (version 1): exchange =
 * name, type, auto-delete, internal, arguments (always durable); queue = name, auto-delete, arguments (always durable,
 * never exclusive); binding = source, destination kind (0 queue, 1 exchange), destination, routing key, arguments.
 * Every record starts with its vhost. Immutable; any thread.
 */
public final class TopologyRecords {
  private TopologyRecords() {}

  static final int EXCHANGE_DECLARED = 0x81;
  static final int EXCHANGE_DELETED = 0x82;
  static final int QUEUE_DECLARED = 0x83;
  static final int QUEUE_DELETED = 0x84;
  static final int BOUND = 0x85;
  static final int UNBOUND = 0x86;

  public record ExchangeDeclared(String vhost, Exchange exchange) implements DefinitionRecord {
    public ExchangeDeclared {
      Objects.requireNonNull(vhost, "vhost");
      Objects.requireNonNull(exchange, "exchange");
    }

    @Override public int kind() {
      return EXCHANGE_DECLARED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      writeExchange(out.string(vhost), exchange);
    }

    static ExchangeDeclared read(RecordReader in) {
      return new ExchangeDeclared(in.string(), readExchange(in));
    }
  }

  public record ExchangeDeleted(String vhost, String name) implements DefinitionRecord {
    @Override public int kind() {
      return EXCHANGE_DELETED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(vhost).string(name);
    }

    static ExchangeDeleted read(RecordReader in) {
      return new ExchangeDeleted(in.string(), in.string());
    }
  }

  public record QueueDeclared(String vhost, QueueSettings queue) implements DefinitionRecord {
    @Override public int kind() {
      return QUEUE_DECLARED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      writeQueue(out.string(vhost), queue);
    }

    static QueueDeclared read(RecordReader in) {
      return new QueueDeclared(in.string(), readQueue(in));
    }
  }

  public record QueueDeleted(String vhost, String name) implements DefinitionRecord {
    @Override public int kind() {
      return QUEUE_DELETED;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      out.string(vhost).string(name);
    }

    static QueueDeleted read(RecordReader in) {
      return new QueueDeleted(in.string(), in.string());
    }
  }

  public record Bound(String vhost, Binding binding) implements DefinitionRecord {
    @Override public int kind() {
      return BOUND;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      writeBinding(out.string(vhost), binding);
    }

    static Bound read(RecordReader in) {
      return new Bound(in.string(), readBinding(in));
    }
  }

  public record Unbound(String vhost, Binding binding) implements DefinitionRecord {
    @Override public int kind() {
      return UNBOUND;
    }

    @Override public int version() {
      return 1;
    }

    @Override public void writeFields(RecordWriter out) {
      writeBinding(out.string(vhost), binding);
    }

    static Unbound read(RecordReader in) {
      return new Unbound(in.string(), readBinding(in));
    }
  }

  static void writeExchange(RecordWriter out, Exchange e) {
    out.string(e.name()).string(e.type().wireName()).bool(e.autoDelete()).bool(e.internal()).table(e.arguments());
  }

  static Exchange readExchange(RecordReader in) {
    return new Exchange(in.string(), ExchangeType.of(in.string()), true, in.bool(), in.bool(), in.table());
  }

  static void writeQueue(RecordWriter out, QueueSettings s) {
    out.string(s.name()).bool(s.autoDelete()).table(s.arguments());
  }

  static QueueSettings readQueue(RecordReader in) {
    return new QueueSettings(in.string(), true, false, in.bool(), in.table());
  }

  static void writeBinding(RecordWriter out, Binding b) {
    out.string(b.source()).bool(b.destination().kind() == Destination.Kind.EXCHANGE).string(b.destination().name())
        .string(b.routingKey()).table(b.arguments());
  }

  static Binding readBinding(RecordReader in) {
    String source = in.string();
    boolean toExchange = in.bool();
    String dest = in.string();
    return new Binding(source, toExchange ? Destination.exchange(dest) : Destination.queue(dest), in.string(),
        in.table());
  }
}
