package io.warren.server.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.FieldTable;
import io.warren.routing.Binding;
import io.warren.routing.Destination;
import io.warren.routing.Exchange;
import io.warren.routing.ExchangeType;
import io.warren.server.auth.PasswordHash;
import io.warren.server.config.PolicyDefinition;
import io.warren.server.durable.DefinitionsSnapshot.Topology;
import io.warren.server.durable.PolicyRecords.PolicyCleared;
import io.warren.server.durable.PolicyRecords.PolicySet;
import io.warren.server.durable.PolicyRecords.UserLimitsSet;
import io.warren.server.durable.PolicyRecords.VhostLimitsSet;
import io.warren.server.durable.RegistryRecords.PermissionCleared;
import io.warren.server.durable.RegistryRecords.PermissionSet;
import io.warren.server.durable.RegistryRecords.TopicPermissionCleared;
import io.warren.server.durable.RegistryRecords.TopicPermissionSet;
import io.warren.server.durable.RegistryRecords.UserDefined;
import io.warren.server.durable.RegistryRecords.UserDeleted;
import io.warren.server.durable.RegistryRecords.VhostDefined;
import io.warren.server.durable.RegistryRecords.VhostDeleted;
import io.warren.store.Overflow;
import io.warren.store.QueueSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every typed definition record round-trips; the version byte is checked; old field-table payloads still decode. */
class DefinitionCodecTest {
  static final Exchange EXCHANGE = new Exchange("orders", ExchangeType.TOPIC, true, false, true,
      Map.of("alternate-exchange", "ae"));
  static final QueueSettings QUEUE = new QueueSettings("q", true, false, true, Map.of("x-max-length", 5));
  static final Binding BINDING = new Binding("orders", Destination.queue("q"), "eu.#", Map.of("k", "v"));
  static final PolicyDefinition DEFINITION = new PolicyDefinition(60000L, null, 10L, null, Overflow.REJECT_PUBLISH,
      "dlx", null, 3L, null, 5, 2, 100L, 2.5, null, "ae");

  static List<DefinitionRecord> everyKind() {
    PasswordHash hash = PasswordHash.of("secret");
    return List.of(
        new TopologyRecords.ExchangeDeclared("/", EXCHANGE),
        new TopologyRecords.ExchangeDeleted("/", "orders"),
        new TopologyRecords.QueueDeclared("v2", QUEUE),
        new TopologyRecords.QueueDeleted("v2", "q"),
        new TopologyRecords.Bound("/", BINDING),
        new TopologyRecords.Unbound("/", new Binding("a", Destination.exchange("b"), "", Map.of())),
        new VhostDefined("team-a", "Team A's vhost", List.of("prod", "eu")),
        new VhostDeleted("team-a"),
        new UserDefined("ann", hash, List.of("administrator"), false),
        new UserDefined("nopass", null, List.of(), true),
        new UserDeleted("ann"),
        new PermissionSet("ann", "team-a", "^ann\\.", ".*", ""),
        new PermissionCleared("ann", "team-a"),
        new TopicPermissionSet("ann", "team-a", "amq.topic", "^{username}\\.", ".*"),
        new TopicPermissionCleared("ann", "team-a", "amq.topic"),
        new PolicySet("team-a", "ttl", "^orders\\.", "queues", 7, DEFINITION),
        new PolicyCleared("team-a", "ttl"),
        new VhostLimitsSet("team-a", 10, -1),
        new UserLimitsSet("ann", -1, 5),
        new DefinitionsSnapshot(true, List.of(new VhostDefined("/", "", List.of())),
            List.of(new UserDefined("guest", hash, List.of("administrator"), true)),
            List.of(new PermissionSet("guest", "/", ".*", ".*", ".*")),
            List.of(new TopicPermissionSet("guest", "/", "x", "a", "b")),
            List.of(new PolicySet("/", "p", ".*", "all", 0, DEFINITION)),
            List.of(new VhostLimitsSet("/", 1, 2)), List.of(new UserLimitsSet("guest", 3, 4)),
            List.of(new Topology("/", List.of(EXCHANGE), List.of(QUEUE), List.of(BINDING)))));
  }

  @Test
  void everyKindRoundTrips() {
    for (DefinitionRecord r : everyKind()) {
      ByteBuf buf = Unpooled.buffer();
      DefinitionCodec.encode(r, buf);
      assertThat((int) buf.getUnsignedByte(0)).as("kind byte of %s", r).isEqualTo(r.kind()).isGreaterThanOrEqualTo(0x80);
      assertThat((int) buf.getUnsignedByte(1)).as("version byte").isEqualTo(1);
      DefinitionRecord back = DefinitionCodec.decode(buf);
      if (r instanceof RegistryRecords.UserDefined u && u.passwordHash() != null) {
        assertThat(((UserDefined) back).passwordHash().matches("secret")).isTrue();
      }
      assertThat(back.getClass()).isEqualTo(r.getClass());
      // argument tables decode strings as AMQP long strings: compare what both encode to
      assertThat(bytes(back)).as("round trip of %s", r).isEqualTo(bytes(r));
    }
  }

  static byte[] bytes(DefinitionRecord r) {
    ByteBuf buf = Unpooled.buffer();
    DefinitionCodec.encode(r, buf);
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    return b;
  }

  @Test
  void unknownVersionKindAndTrailingBytesAreRefused() {
    ByteBuf buf = Unpooled.buffer();
    DefinitionCodec.encode(new VhostDeleted("v"), buf);
    ByteBuf future = buf.copy();
    future.setByte(1, 2);
    assertThatThrownBy(() -> DefinitionCodec.decode(future)).hasMessageContaining("unknown version 2");
    ByteBuf unknown = buf.copy();
    unknown.setByte(0, 0xEE);
    assertThatThrownBy(() -> DefinitionCodec.decode(unknown)).hasMessageContaining("unknown definition record kind");
    ByteBuf longer = buf.copy().writeByte(0);
    assertThatThrownBy(() -> DefinitionCodec.decode(longer)).hasMessageContaining("left after");
    ByteBuf truncated = buf.copy(0, buf.readableBytes() - 1);
    assertThatThrownBy(() -> DefinitionCodec.decode(truncated)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void oldFieldTableChangesAndSnapshotsDecodeAsTypedRecords() {
    Map<String, Object> exchange = new java.util.LinkedHashMap<>();
    exchange.put("op", "declare-exchange");
    exchange.put("vhost", "/");
    exchange.put("name", "orders");
    exchange.put("type", "topic");
    exchange.put("auto-delete", false);
    exchange.put("internal", true);
    exchange.put("arguments", Map.of("alternate-exchange", "ae"));
    assertThat(bytes(DefinitionCodec.decode(table(exchange))))
        .isEqualTo(bytes(new TopologyRecords.ExchangeDeclared("/", EXCHANGE)));
    Map<String, Object> bind = Map.of("op", "bind", "vhost", "/", "source", "orders", "destination-kind", "queue",
        "destination", "q", "routing-key", "eu.#", "arguments", Map.of("k", "v"));
    assertThat(bytes(DefinitionCodec.decode(table(bind)))).isEqualTo(bytes(new TopologyRecords.Bound("/", BINDING)));
    Map<String, Object> snapshot = Map.of("vhosts", List.of(Map.of("vhost", "/",
        "exchanges", List.of(Map.of("name", "orders", "type", "topic", "auto-delete", false, "internal", true,
            "arguments", Map.of("alternate-exchange", "ae"))),
        "queues", List.of(Map.of("name", "q", "auto-delete", true, "arguments", Map.of("x-max-length", 5))),
        "bindings", List.of(Map.of("source", "orders", "destination-kind", "queue", "destination", "q",
            "routing-key", "eu.#", "arguments", Map.of("k", "v"))))));
    DefinitionsSnapshot s = (DefinitionsSnapshot) DefinitionCodec.decode(table(snapshot));
    assertThat(s.withRegistry()).isFalse();
    assertThat(bytes(s)).isEqualTo(bytes(new DefinitionsSnapshot(false, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(new Topology("/", List.of(EXCHANGE), List.of(QUEUE),
        List.of(BINDING))))));
  }

  private static ByteBuf table(Map<String, Object> m) {
    ByteBuf buf = Unpooled.buffer();
    FieldTable.encode(m, buf);
    return buf;
  }
}
