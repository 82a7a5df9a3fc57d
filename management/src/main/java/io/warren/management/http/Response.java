package io.warren.management.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers. Immutable. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public static Response json(int status, Object value) {
    return new Response(status, JSON, Json.write(value), Map.of());
  }

  public static Response ok(Object value) {
    return json(200, value);
  }

  public static Response noContent() {
    return new Response(204, null, new byte[0], Map.of());
  }

  /** 201 on create, 204 on update, as RabbitMQ answers a PUT. */
  public static Response createdOrUpdated(boolean created) {
    return created ? new Response(201, null, new byte[0], Map.of()) : noContent();
  }

  public static Response created(String location) {
    return new Response(201, null, new byte[0], Map.of("Location", location));
  }

  public static Response text(int status, String contentType, String text) {
    return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static Response error(int status, String error, String reason) {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("error", error);
    m.put("reason", reason);
    return json(status, m);
  }
}
