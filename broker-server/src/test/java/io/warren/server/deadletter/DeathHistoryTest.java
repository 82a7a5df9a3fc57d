package io.warren.server.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.amqp.FieldTable;
import io.warren.amqp.LongString;
import io.warren.amqp.Timestamp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** x-death bookkeeping and RabbitMQ's cycle rule, on headers as they come off the wire (LongString values). */
class DeathHistoryTest {

  private static DeathHistory.Death death(String queue, String reason, long time) {
    return new DeathHistory.Death(queue, reason, "ex", List.of("rk"), time, null);
  }

  /** Encodes and decodes, so the next step sees what a broker would read back (LongStrings, immutable tables). */
  private static Map<String, Object> wire(Map<String, Object> headers) {
    ByteBuf buf = Unpooled.buffer();
    try {
      FieldTable.encode(headers, buf);
      return FieldTable.decode(buf);
    } finally {
      buf.release();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> deaths(Map<String, Object> headers) {
    return (List<Map<String, Object>>) headers.get("x-death");
  }

  @Test
  void theFirstDeathSetsFirstAndLastHeadersAndOneEntry() {
    Map<String, Object> h = wire(DeathHistory.record(Map.of("app", "x"),
        new DeathHistory.Death("q", "expired", "ex", List.of("a", "b"), 1000, "60")));
    assertThat(h.keySet()).containsExactly("x-death", "app", "x-first-death-reason", "x-first-death-queue",
        "x-first-death-exchange", "x-last-death-reason", "x-last-death-queue", "x-last-death-exchange");
    Map<String, Object> d = deaths(h).get(0);
    assertThat(d.keySet()).containsExactly("count", "reason", "queue", "time", "exchange", "routing-keys",
        "original-expiration");
    assertThat(d.get("count")).isEqualTo(1L);
    assertThat(d.get("time")).isEqualTo(new Timestamp(1000));
    assertThat(d.get("routing-keys")).isEqualTo(List.of(LongString.of("a"), LongString.of("b")));
    assertThat(d.get("original-expiration")).isEqualTo(LongString.of("60"));
  }

  @Test
  void aRepeatedQueueAndReasonCountsUpMovesToTheFrontAndKeepsItsTime() {
    Map<String, Object> h = wire(DeathHistory.record(Map.of(), death("a", "rejected", 1)));
    h = wire(DeathHistory.record(h, death("b", "expired", 2)));
    h = wire(DeathHistory.record(h, death("a", "rejected", 3)));
    assertThat(deaths(h)).extracting(d -> d.get("queue").toString() + d.get("count"))
        .containsExactly("a2", "b1");
    assertThat(deaths(h).get(0).get("time")).isEqualTo(new Timestamp(1));
    assertThat(h.get("x-first-death-queue")).isEqualTo(LongString.of("a"));
    assertThat(h.get("x-last-death-queue")).isEqualTo(LongString.of("a"));
    h = wire(DeathHistory.record(h, death("a", "expired", 4)));
    assertThat(deaths(h)).extracting(d -> d.get("queue") + "/" + d.get("reason") + "/" + d.get("count"))
        .containsExactly("a/expired/1", "a/rejected/2", "b/expired/1");
    assertThat(h.get("x-first-death-reason")).isEqualTo(LongString.of("rejected"));
    assertThat(h.get("x-last-death-reason")).isEqualTo(LongString.of("expired"));
  }

  @Test
  void anXDeathThatIsNotAnArrayStartsAgain() {
    Map<String, Object> h = DeathHistory.record(Map.of("x-death", "garbage"), death("q", "maxlen", 5));
    assertThat(deaths(wire(h))).singleElement().satisfies(d -> assertThat(d.get("count")).isEqualTo(1L));
    assertThat(h).doesNotContainKey("x-first-death-queue");
  }

  @Test
  void cyclesWithoutARejectionAreCyclesAndOthersAreNot() {
    Map<String, Object> h = wire(DeathHistory.record(Map.of(), death("a", "expired", 1)));
    assertThat(DeathHistory.isCycle("a", deaths(h))).isTrue();
    assertThat(DeathHistory.isCycle("b", deaths(h))).isFalse();
    h = wire(DeathHistory.record(h, death("b", "rejected", 2)));
    h = wire(DeathHistory.record(h, death("a", "expired", 3))); // [a expired, b rejected]
    assertThat(DeathHistory.isCycle("b", deaths(h))).as("b's own entry is a rejection").isFalse();
    assertThat(DeathHistory.isCycle("a", deaths(h))).isTrue();
    assertThat(DeathHistory.isCycle("a", List.of("not a table", Map.of("queue", "a", "reason", "expired"))))
        .as("a client wrote into the history").isFalse();
  }

  @Test
  void repeatedPairsFromEarlierBrokersAreMergedWithTheirCountsAsRabbitMq310Does() {
    // as RabbitMQ's client suite does it: four count-less entries for each of queue97 (three times), queue98, queue99
    List<Map<String, Object>> legacy = new java.util.ArrayList<>();
    for (String q : List.of("q97", "q97", "q97", "q98", "q99")) {
      for (int i = 0; i < 4; i++) {
        legacy.add(Map.of("reason", "expired", "queue", q, "exchange", "x0", "random", "r" + legacy.size()));
      }
    }
    Map<String, Object> h = wire(Map.of("x-death", legacy));
    h = wire(DeathHistory.record(h, death("q1", "expired", 1)));
    h = wire(DeathHistory.record(h, death("q2", "expired", 2)));
    for (int i = 0; i < 9; i++) {
      h = wire(DeathHistory.record(h, death("qz", "rejected", 3 + i)));
    }
    assertThat(deaths(h)).extracting(d -> d.get("queue").toString())
        .containsExactly("qz", "q2", "q1", "q97", "q98", "q99");
    assertThat(deaths(h)).extracting(d -> d.get("count")).containsExactly(9L, 1L, 1L, 12L, 4L, 4L);
    assertThat(deaths(h).get(3).get("random").toString()).as("the first entry's other fields stay").isEqualTo("r0");
  }
}
