package io.warren.management.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warren.management.spi.AdminException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out with one shared, configured mapper (thread-safe once configured). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  static {
    // bodies are already bounded by the body limit; nesting is bounded so a hostile body cannot exhaust the stack
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100).build());
  }

  private Json() {
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The body as a JSON object; an empty body is an empty object; anything else is a 400. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(byte[] body) {
    if (body == null || body.length == 0) {
      return new LinkedHashMap<>();
    }
    Object v = value(body);
    if (!(v instanceof Map)) {
      throw AdminException.badRequest("the request body must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  public static Object value(byte[] body) {
    try {
      return MAPPER.readValue(body, Object.class);
    } catch (JsonProcessingException e) {
      throw AdminException.badRequest("not_json: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw AdminException.badRequest("not_json: " + e.getMessage());
    }
  }
}
