package io.warren.server.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.FieldTable;
import io.warren.amqp.LongString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the firehose describes a message: RabbitMQ's routing_keys and properties table, typed as RabbitMQ types them. */
class FirehoseTest {

  @Test
  void routingKeysAreTheKeyThenTheCcAndBccKeysInOrder() {
    Map<String, Object> headers = Map.of("CC", List.of("a", LongString.of("b"), 7),
        "BCC", List.of("c"));
    assertThat(Firehose.routingKeys("k", headers)).containsExactly("k", "a", "b", "c");
    assertThat(Firehose.routingKeys("k", null)).containsExactly("k");
    assertThat(Firehose.routingKeys("k", Map.of("CC", "not an array"))).containsExactly("k");
  }

  @Test
  void thePropertiesTableHasOnlyWhatIsSetWithoutBccAndSurvivesTheWire() {
    BasicProperties props = BasicProperties.builder().contentType("application/json").deliveryMode(2).priority(9)
        .timestamp(1_700_000_000L).headers(Map.of("x", 1, "BCC", List.of("hidden"))).userId("guest").build();
    Map<String, Object> table = Firehose.table(props);
    assertThat(table.keySet()).containsExactly("content_type", "headers", "delivery_mode", "priority", "timestamp",
        "user_id");
    assertThat(table.get("delivery_mode")).isEqualTo(2);
    assertThat(table.get("timestamp")).isEqualTo(1_700_000_000);
    assertThat(table.get("headers")).isEqualTo(Map.of("x", 1));

    ByteBuf wire = Unpooled.buffer();
    FieldTable.encode(Map.of("properties", table), wire);
    Map<String, Object> read = FieldTable.decode(wire);
    assertThat(((Map<?, ?>) read.get("properties")).get("timestamp")).isEqualTo(1_700_000_000);
    wire.release();
  }

  @Test
  void aTimestampBeyondASignedIntStaysWhole() {
    long late = 4_000_000_000L;
    assertThat(Firehose.table(BasicProperties.builder().timestamp(late).build()).get("timestamp")).isEqualTo(late);
    assertThat(Firehose.table(BasicProperties.EMPTY)).isEmpty();
  }
}
