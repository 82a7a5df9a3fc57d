package io.warren.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.warren.mirror.control.ControlState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ha/primary} for HAProxy's health check: 200 only while this node is the primary of the current
 * epoch with a fresh lease, a writable store and a bound AMQP listener; 503 otherwise. The JSON body names
 * the role and the epoch either way. A witness answers 503 with role "witness". Served by the JDK's HTTP
 * server on one named thread ("warren-ha-http").
 */
public final class RoleEndpoint implements AutoCloseable {

    private final HttpServer server;

    private RoleEndpoint(HttpServer server) {
        this.server = server;
    }

    /** For a data node: {@code serving} says whether its broker is listening with a writable store. */
    public static RoleEndpoint forNode(InetSocketAddress bind, String node, PairNode pair, BooleanSupplier serving)
        throws IOException {
        return start(bind, exchange -> {
            boolean primary = pair.servingPrimary() && serving.getAsBoolean();
            ControlState s = pair.lastState();
            String role = primary ? "primary" : pair.role() == PairNode.Role.BACKUP ? "backup" : pair.role().name().toLowerCase();
            InSyncTracker tracker = pair.tracker();
            String lag = tracker == null ? "" : ",\"backup_acked_position\":" + tracker.ackedPosition()
                + ",\"backup_state\":\"" + tracker.state().name().toLowerCase() + "\"";
            reply(exchange, primary ? 200 : 503, "{\"node\":\"" + node + "\",\"role\":\"" + role + "\",\"epoch\":"
                + Integer.toUnsignedString(primary ? pair.epoch() : s.epoch()) + ",\"primary\":"
                + (s.primary() == null ? "null" : "\"" + s.primary() + "\"") + ",\"in_sync\":" + json(s) + lag + "}");
        });
    }

    /** For the witness, which is never primary. */
    public static RoleEndpoint forWitness(InetSocketAddress bind, String node, java.util.function.Supplier<ControlState> state)
        throws IOException {
        return start(bind, exchange -> {
            ControlState s = state.get();
            reply(exchange, 503, "{\"node\":\"" + node + "\",\"role\":\"witness\",\"epoch\":"
                + Integer.toUnsignedString(s.epoch()) + ",\"primary\":" + (s.primary() == null ? "null" : "\"" + s.primary() + "\"")
                + ",\"in_sync\":" + json(s) + "}");
        });
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static RoleEndpoint start(InetSocketAddress bind, Handler primary) throws IOException {
        HttpServer server = HttpServer.create(bind, 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!path.equals("/ha/primary")) {
                    reply(exchange, 404, "{\"error\":\"not_found\",\"reason\":\"no such path: " + path.replace("\"", "") + "\"}");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                    reply(exchange, 405, "{\"error\":\"method_not_allowed\"}");
                } else {
                    primary.handle(exchange);
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warren-ha-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new RoleEndpoint(server);
    }

    private static String json(ControlState s) {
        StringBuilder b = new StringBuilder("[");
        for (String n : new TreeSet<>(s.inSync())) {
            b.append(b.length() > 1 ? "," : "").append('"').append(n).append('"');
        }
        return b.append(']').toString();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
