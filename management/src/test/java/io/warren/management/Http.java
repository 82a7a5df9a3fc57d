package io.warren.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The JDK HttpClient against a management port, with Basic auth and JSON in and out: the tests' one HTTP client,
 * shared with broker-server's tests through this module's test jar. Test thread.
 */
public final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String auth;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
    as("guest", "guest");
  }

  /** Logs in as this user from now on (null: no Authorization header). */
  public Http as(String user, String password) {
    auth = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
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

  public HttpResponse<String> get(String path) throws Exception {
    return call("GET", path, null);
  }

  public HttpResponse<String> put(String path, String body) throws Exception {
    return call("PUT", path, body);
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return call("POST", path, body);
  }

  public HttpResponse<String> delete(String path) throws Exception {
    return call("DELETE", path, null);
  }

  /** GET that must answer 200, parsed. */
  public JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  public static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }
}
