package io.warren.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A tiny JDK HttpClient wrapper for the tests: Basic auth, JSON in and out. Test thread. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String auth;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
    as("guest", "guest");
  }

  Http as(String user, String password) {
    auth = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    return this;
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return call("GET", path, null);
  }

  HttpResponse<String> put(String path, String body) throws Exception {
    return call("PUT", path, body);
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return call("POST", path, body);
  }

  HttpResponse<String> delete(String path) throws Exception {
    return call("DELETE", path, null);
  }

  static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }
}
