package io.warren.ctl;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process stand-in for the management API: answers each "METHOD /api/raw/path" with a canned status and
 * body (RabbitMQ 3.10.8's answers, kept under src/test/resources/rabbitmq), anything else with RabbitMQ's 404,
 * and records every request. Handlers run on the server's thread; the lists are safe to read from the test.
 */
final class FakeApi implements AutoCloseable {
  static final String NOT_FOUND = "{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}";

  record Call(String method, String path, String body, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  private record Answer(int status, String body) {
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      calls.add(new Call(exchange.getRequestMethod(), path, body, Map.copyOf(exchange.getRequestHeaders())));
      Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path, new Answer(404, NOT_FOUND));
      byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
      if (!answer.body.isEmpty()) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Answers {@code method path} (path raw, with its query) with status and body. */
  FakeApi on(String method, String path, int status, String body) {
    answers.put(method + " " + path, new Answer(status, body));
    return this;
  }

  /** Answers a GET with 200 and the body RabbitMQ gave, from src/test/resources/rabbitmq/{fixture}. */
  FakeApi get(String path, String fixture) {
    return on("GET", path, 200, fixture(fixture));
  }

  static String fixture(String name) {
    try (InputStream in = FakeApi.class.getResourceAsStream("/rabbitmq/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The calls other than GETs, in order: what the command changed. */
  List<Call> writes() {
    return calls.stream().filter(c -> !c.method().equals("GET")).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
