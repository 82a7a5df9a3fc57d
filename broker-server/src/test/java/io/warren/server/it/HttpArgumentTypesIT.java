package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.warren.management.Http;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arguments given to the management API as JSON are typed as RabbitMQ types them: a whole number is a {@code long}
 * (the Java client sends an Integer as a {@code signedint}). A binding's properties key, which hashes the types, is
 * then RabbitMQ's; headers still match AMQP clients' Integers by value; a queue made over HTTP redeclares over AMQP.
 * Driven by the JDK HttpClient and the RabbitMQ Java client.
 */
class HttpArgumentTypesIT extends SharedBroker {
  @Test
  void aWholeNumberInABindingsArgumentsIsStoredAsALongAndKeyedAsRabbitMqKeysIt() throws Exception {
    Http http = new Http(broker.broker().management().port());
    assertThat(http.put("/api/exchanges/%2F/shapes", "{\"type\":\"headers\"}").statusCode()).isEqualTo(201);
    assertThat(http.put("/api/queues/%2F/red-threes", "{}").statusCode()).isEqualTo(201);
    HttpResponse<String> created = http.post("/api/bindings/%2F/e/shapes/q/red-threes",
        "{\"routing_key\":\"http\",\"arguments\":{\"x-match\":\"all\",\"color\":\"red\",\"size\":3}}");
    assertThat(created.statusCode()).isEqualTo(201);
    // RabbitMQ 3.10.8 answers this very request with the key "http~3VsIag": its hash of [..., {size, long, 3}]
    assertThat(created.headers().firstValue("Location").orElseThrow()).isEqualTo("red-threes/http~3VsIag");
    JsonNode listed = http.json("/api/bindings/%2F/e/shapes/q/red-threes");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("properties_key").asText()).isEqualTo("http~3VsIag"); // from the stored binding
    assertThat(listed.get(0).get("arguments").get("size").asLong()).isEqualTo(3);
    assertThat(http.get("/api/bindings/%2F/e/shapes/q/red-threes/http~3VsIag").statusCode()).isEqualTo(200);

    Channel ch = conn.createChannel();
    ch.basicPublish("shapes", "", headers(Map.of("color", "red", "size", 3)), new byte[1]); // an Integer: matches
    ch.basicPublish("shapes", "", headers(Map.of("color", "red", "size", 4)), new byte[1]);
    ch.basicPublish("shapes", "", headers(Map.of("color", "red", "size", 3L)), new byte[1]);
    await().untilAsserted(() -> assertThat(ch.messageCount("red-threes")).isEqualTo(2));

    assertThat(http.delete("/api/bindings/%2F/e/shapes/q/red-threes/http~3VsIag").statusCode()).isEqualTo(204);
    assertThat(http.json("/api/bindings/%2F/e/shapes/q/red-threes")).isEmpty();
    ch.basicPublish("shapes", "", headers(Map.of("color", "red", "size", 3)), new byte[1]);
    ch.queueDeclare("red-threes-after", false, false, true, null); // a round trip: the publish above was handled
    assertThat(ch.messageCount("red-threes")).isEqualTo(2);
    ch.close();
  }

  @Test
  void aQueueMadeWithAJsonNumberRedeclaresOverAmqpWithTheJavaClientsInteger() throws Exception {
    Http http = new Http(broker.broker().management().port());
    assertThat(http.put("/api/queues/%2F/capped", "{\"durable\":true,\"arguments\":{\"x-max-length\":2}}")
        .statusCode()).isEqualTo(201);
    Channel ch = conn.createChannel();
    ch.queueDeclare("capped", true, false, false, Map.of("x-max-length", 2)); // equivalent: integers by value
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("", "capped", null, new byte[1]);
    }
    await().untilAsserted(() -> assertThat(http.json("/api/queues/%2F/capped").get("messages").asInt()).isEqualTo(2));
    assertThat(http.json("/api/queues/%2F/capped").get("arguments").get("x-max-length").asInt()).isEqualTo(2);
    ch.close();
  }

  private static AMQP.BasicProperties headers(Map<String, Object> h) {
    return new AMQP.BasicProperties.Builder().headers(h).build();
  }
}
