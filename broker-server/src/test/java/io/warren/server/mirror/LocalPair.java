package io.warren.server.mirror;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local pair behind a real HAProxy, driven through haproxy/pair.sh exactly as its contract says, with the
 * test class path (so the suite needs no packaged jar). Ports from {@link #BASE}.
 */
final class LocalPair implements AutoCloseable {

    static final int BASE = Integer.getInteger("warren.pair.base", 25670);

    private final Path dir;
    private final Path script;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private LocalPair(Path dir) {
        this.dir = dir;
        Path root = Path.of("").toAbsolutePath();
        this.script = (Files.exists(root.resolve("haproxy/pair.sh")) ? root : root.getParent()).resolve("haproxy/pair.sh");
    }

    static LocalPair start(Path dir) throws Exception {
        LocalPair pair = new LocalPair(dir);
        int rc = pair.run(200, "start", dir.toString());
        if (rc != 0) {
            pair.close();
            throw new IllegalStateException("pair.sh start exited " + rc + "; logs in " + dir);
        }
        return pair;
    }

    int run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(concat(List.of("bash", script.toString()), args));
        pb.environment().put("PAIR_PORT_BASE", Integer.toString(BASE));
        pb.environment().put("PAIR_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("PAIR_JAVA_OPTS", "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pair-sh.log").toFile()));
        Files.createDirectories(dir);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static List<String> concat(List<String> head, String... tail) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    long pid(String member) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(member + ".pid")).trim());
    }

    void kill9(String member) throws IOException {
        ProcessHandle.of(pid(member)).ifPresent(ProcessHandle::destroyForcibly);
    }

    void startNode(String member) throws Exception {
        if (run(60, "start-node", dir.toString(), member) != 0) {
            throw new IllegalStateException("pair.sh start-node " + member + " failed");
        }
    }

    void isolate(String member) throws Exception {
        run(30, "isolate", dir.toString(), member);
    }

    void heal() throws Exception {
        run(30, "heal", dir.toString());
    }

    /** Sends SIGSTOP/SIGCONT ("STOP", "CONT") to a member's process. */
    void signal(String member, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(member))).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + member + " failed");
        }
    }

    /** True once the primary reports both data nodes in its in-sync set. */
    boolean bothInSync() {
        String primary = primary();
        if (primary == null) {
            return false;
        }
        int port = primary.equals("a") ? BASE + 11 : BASE + 12;
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ha/primary"))
                .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("\"in_sync\":[\"a\",\"b\"]");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The HTTP status of {@code member}'s GET /ha/primary, or -1 when it does not answer. */
    int primaryStatus(String member) {
        int port = member.equals("a") ? BASE + 11 : BASE + 12;
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ha/primary"))
                .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The data node answering 200, or null. */
    String primary() {
        if (primaryStatus("a") == 200) {
            return "a";
        }
        return primaryStatus("b") == 200 ? "b" : null;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        run(60, "stop", dir.toString());
    }
}
