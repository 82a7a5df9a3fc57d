package io.warren.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Calls the RabbitMQ-compatible management HTTP API and turns every failure into a {@link CtlException}
 * with a sentence a user understands. Used by one command on the main thread; not thread-safe by intent.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final int port;
  private final String base;
  private final String username;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  public ApiClient(String host, int port, String username, String password, Duration timeout) {
    this.host = host;
    this.port = port;
    this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/api/";
    this.username = username;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    // HTTP/1.1 explicitly: the JDK would otherwise offer an h2c upgrade that plain HTTP/1.1 servers need not expect
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The API's base address, for messages. */
  public String base() {
    return base;
  }

  /** GET; a 404 is explained by {@code missing}. */
  public JsonNode get(ApiPath path, Missing missing) {
    return parse(send("GET", path, null, Map.of(), missing), path);
  }

  /** GET that answers null instead of failing when the object does not exist. */
  public JsonNode getIfExists(ApiPath path) {
    HttpResponse<String> response = exchange("GET", path, null, Map.of());
    if (response.statusCode() == 404) {
      return null;
    }
    check(response, "GET", path, null);
    return parse(response.body(), path);
  }

  public void put(ApiPath path, Object body, Missing missing) {
    send("PUT", path, body, Map.of(), missing);
  }

  /** POST; answers the reply body parsed as JSON, or null when the body is empty. */
  public JsonNode post(ApiPath path, Object body, Missing missing) {
    String reply = send("POST", path, body, Map.of(), missing);
    return reply.isBlank() ? null : parse(reply, path);
  }

  public void delete(ApiPath path, Map<String, String> headers, Missing missing) {
    send("DELETE", path, null, headers, missing);
  }

  /** DELETE that does nothing when the object does not exist (any more). */
  public void deleteIfExists(ApiPath path, Map<String, String> headers) {
    HttpResponse<String> response = exchange("DELETE", path, null, headers);
    if (response.statusCode() != 404) {
      check(response, "DELETE", path, null);
    }
  }

  private String send(String method, ApiPath path, Object body, Map<String, String> headers, Missing missing) {
    HttpResponse<String> response = exchange(method, path, body, headers);
    check(response, method, path, missing);
    return response.body();
  }

  private void check(HttpResponse<String> response, String method, ApiPath path, Missing missing) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String reason = reason(response.body());
    switch (status) {
      case 401 -> throw new CtlException(ExitCodes.NO_PERMISSION, "authentication failed for user '" + username
          + "' at " + base + " (wrong username or password, or the user may only log in from localhost)");
      case 403 -> throw new CtlException(ExitCodes.NO_PERMISSION, "user '" + username + "' is not allowed to "
          + method + " " + path + (reason.isEmpty() ? "" : ": " + reason));
      case 404 -> {
        if (missing != null) {
          throw missing.explain(this);
        }
        throw new CtlException(ExitCodes.UNAVAILABLE, "not found: " + path);
      }
      case 400, 413, 415, 422 -> {
        if (missing != null && reason.contains("not_found")) {
          // e.g. PUT /api/permissions answers 400 vhost_or_user_not_found rather than 404
          throw missing.explain(this);
        }
        throw new CtlException(ExitCodes.DATA_ERROR,
          "the broker rejected the request" + (reason.isEmpty() ? " (HTTP " + status + ")" : ": " + reason));
      }
      // the node answers but its broker does not run (stop_app, a pair's backup): unavailable, as rabbitmqctl
      // reports a node whose application is stopped; await_startup waits through it
      case 503 -> throw new CtlException(ExitCodes.UNAVAILABLE, "the broker at " + base + " is not available"
          + (reason.isEmpty() ? "" : ": " + reason));
      case 405 -> throw new CtlException(ExitCodes.SOFTWARE,
          "the management API at " + base + " does not support " + method + " " + path);
      default -> throw new CtlException(ExitCodes.SOFTWARE, "the management API answered HTTP " + status
          + " to " + method + " " + path + (reason.isEmpty() ? "" : ": " + reason));
    }
  }

  private HttpResponse<String> exchange(String method, ApiPath path, Object body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.encoded()))
        .timeout(timeout)
        // no Accept header: RabbitMQ answers 406 to "Accept: application/json" on some write endpoints
        .header("Authorization", authorization);
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new CtlException(ExitCodes.TIMEOUT, "the management API at " + base + " did not answer within "
          + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      throw new CtlException(ExitCodes.UNAVAILABLE, "cannot reach the management API at " + base
          + " (connection refused): is the broker running, with its HTTP port on " + hostPort() + "?");
    } catch (IOException e) {
      throw new CtlException(ExitCodes.UNAVAILABLE, "cannot reach the management API at " + base + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException(ExitCodes.TIMEOUT, "interrupted while waiting for " + base);
    }
  }

  private String hostPort() {
    return base.substring("http://".length(), base.length() - "/api/".length());
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
  }

  private JsonNode parse(String body, ApiPath path) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CtlException(ExitCodes.SOFTWARE, "the management API answered " + path + " with something that is"
          + " not JSON: is " + base + " a RabbitMQ-compatible management API?");
    }
  }

  /** The reason of RabbitMQ's error object {@code {"error":..., "reason":...}}, or the raw body. */
  private static String reason(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        String reason = node.path("reason").asText("").strip();
        return reason.isEmpty() ? node.path("error").asText("").strip() : reason;
      }
    } catch (IOException notJson) {
      // fall through to the raw text, cut short: an HTML error page is no use in full
    }
    String raw = body.strip();
    return raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
  }
}
