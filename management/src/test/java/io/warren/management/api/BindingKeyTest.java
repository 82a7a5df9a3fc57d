package io.warren.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Binding properties keys as RabbitMQ 3.10.8 computes them: the expected keys were read from its management API
 * (GET /api/exchanges/%2F/{x}/bindings/source) for bindings made with the RabbitMQ Java client.
 */
class BindingKeyTest {
  @Test
  void withoutArgumentsTheKeyIsTheEncodedRoutingKey() {
    assertThat(BindingKey.of("", Map.of())).isEqualTo("~");
    assertThat(BindingKey.of("user.*", Map.of())).isEqualTo("user.%2A");
    assertThat(BindingKey.of("a b/c", null)).isEqualTo("a+b%2Fc");
  }

  @Test
  void withArgumentsTheKeyEndsWithRabbitMqsHashOfThem() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("x-match", "all");
    headers.put("format", "pdf");
    assertThat(BindingKey.of("", headers)).isEqualTo("~GdXQng");
    Map<String, Object> mixed = new LinkedHashMap<>();
    mixed.put("x-match", "any");
    mixed.put("n", 5);
    mixed.put("big", 5000000000L);
    mixed.put("flag", true);
    assertThat(BindingKey.of("rk", mixed)).isEqualTo("rk~xQtjkg");
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("x-match", "all");
    nested.put("nested", Map.of("k", "v"));
    nested.put("list", List.of("x", 7));
    assertThat(BindingKey.of("a b/c", nested)).isEqualTo("a+b%2Fc~sYdnug");
  }

  @Test
  void aNumberGivenOverHttpIsALongToRabbitMq() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("x-match", "all");
    args.put("color", "red");
    args.put("size", 3L);
    assertThat(BindingKey.of("http", args)).isEqualTo("http~3VsIag"); // POSTed as {"size": 3} to RabbitMQ
  }

  @Test
  void argumentsReceivedAsJsonAreKeyedWithTheirWholeNumbersAsLongs() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("x-match", "all");
    json.put("color", "red");
    json.put("size", 3); // as Jackson reads {"size": 3}
    assertThat(BindingKey.of("http", json)).isNotEqualTo("http~3VsIag"); // an Integer is a signedint
    Map<String, Object> stored = BindingKey.asStored(json);
    assertThat(stored).containsEntry("size", 3L);
    assertThat(BindingKey.of("http", stored)).isEqualTo("http~3VsIag");
    assertThat(BindingKey.asStored(Map.of("n", List.of(1, Map.of("m", 2)), "d", 1.5)))
        .isEqualTo(Map.of("n", List.of(1L, Map.of("m", 2L)), "d", 1.5));
  }

  @Test
  void theOrderTheArgumentsCameInDoesNotMatter() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("a", "1");
    one.put("b", "2");
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("b", "2");
    other.put("a", "1");
    assertThat(BindingKey.of("k", one)).isEqualTo(BindingKey.of("k", other)).startsWith("k~").hasSize(8);
  }
}
