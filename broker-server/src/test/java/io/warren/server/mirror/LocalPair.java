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

    /**
     * The pair's port base: -Dwarren.pair.base, or else a block of 50 ports found free above the fixed ports people
     * use by hand, so that suites run at the same time on one machine (or a pair started by hand) do not collide.
     */
    static final int BASE = Integer.getInteger("warren.pair.base", freeBlock());

    private static int freeBlock() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 40_000 + 50 * random.nextInt(400);
            if (blockFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no block of 50 free ports found between 40000 and 60000");
    }

    private static boolean blockFree(int base) {
        for (int port = base; port < base + 50; port++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("0.0.0.0", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

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
        return run(java.util.Map.of(), timeoutSeconds, args);
    }

    /** Runs pair.sh with {@code env} added to its environment (and so to the members it starts). */
    int run(java.util.Map<String, String> env, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(concat(List.of("bash", script.toString()), args));
        pb.environment().putAll(env);
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

    /** How a process ended: its exit status (-1: still running at the deadline, then killed) and its output. */
    record Exit(int status, String output) {
    }

    /**
     * Runs one more member process with {@code config}, as pair.sh starts them (names resolved by member
     * {@code hostsOf}'s hosts file), until it exits or {@code timeoutSeconds} pass.
     */
    Exit runMember(Path config, String hostsOf, boolean witness, int timeoutSeconds) throws IOException, InterruptedException {
        Path root = script.getParent().getParent();
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djdk.net.hosts.file=" + dir.resolve("hosts." + hostsOf),
            "-Dlogback.configurationFile=" + root.resolve("conf/logback.xml"),
            "-cp", System.getProperty("java.class.path"), "io.warren.server.Main"));
        if (witness) {
            cmd.add("witness");
        }
        cmd.add("--config");
        cmd.add(config.toString());
        Path out = Files.createTempFile(dir, "member-", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        int status = -1;
        if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            status = p.exitValue();
        } else {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return new Exit(status, Files.readString(out));
    }

    long pid(String member) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(member + ".pid")).trim());
    }

    /** kill -9 of {@code member}'s process; returns once it is gone (so that it can be started again at once). */
    void kill9(String member) throws Exception {
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid(member));
        if (h.isPresent()) {
            h.get().destroyForcibly();
            for (int i = 0; i < 200 && h.get().isAlive(); i++) {
                Thread.sleep(50);
            }
        }
    }

    void startNode(String member) throws Exception {
        startNode(member, java.util.Map.of());
    }

    /** Starts {@code member} again with {@code env} added to its environment. */
    void startNode(String member, java.util.Map<String, String> env) throws Exception {
        if (run(env, 60, "start-node", dir.toString(), member) != 0) {
            throw new IllegalStateException("pair.sh start-node " + member + " failed");
        }
    }

    void isolate(String member) throws Exception {
        run(30, "isolate", dir.toString(), member);
    }

    void heal() throws Exception {
        run(30, "heal", dir.toString());
    }

    /**
     * Cuts the links between {@code x} and {@code y} (control plane and replication, both ways) and nothing else, at
     * once: the link proxies' own switch (a file DIR/cut/FROM-TO per directed link, looked at every 50 ms), the one
     * pair.sh's isolate uses.
     */
    void cutLink(String x, String y) throws IOException {
        Path cut = Files.createDirectories(dir.resolve("cut"));
        for (String name : List.of(x + "-" + y, y + "-" + x)) {
            if (!Files.exists(cut.resolve(name))) {
                Files.createFile(cut.resolve(name));
            }
        }
    }

    /** Restores what {@link #cutLink} cut. */
    void restoreLink(String x, String y) throws IOException {
        Files.deleteIfExists(dir.resolve("cut").resolve(x + "-" + y));
        Files.deleteIfExists(dir.resolve("cut").resolve(y + "-" + x));
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
        return primary != null && inSyncSeenBy(primary).equals("[\"a\",\"b\"]");
    }

    /**
     * True once some member leads the control plane and has heard from both others within the last second, each
     * holding every command it applied: a member back from a restart or a cut has really rejoined the Raft group
     * (a scenario that begins before that faces two faults at once).
     */
    boolean controlPlaneSettled() {
        return settledLeader() != null;
    }

    /** The member that leads a settled control plane (see {@link #controlPlaneSettled()}), or null. */
    String settledLeader() {
        return controlLeader(null);
    }

    /** True when {@code member}'s GET /api/ha says it leads the control plane. */
    boolean leadsControlPlane(String member) {
        return member.equals(controlLeader(member));
    }

    /** The first member (of {@code only}, or of all when null) whose GET /api/ha says it leads; settled ones only when asked. */
    private String controlLeader(String only) {
        boolean settledOnly = only == null;
        String[] names = {"a", "b", "witness"};
        int[] ports = {BASE + 11, BASE + 12, BASE + 20};
        for (int i = 0; i < ports.length; i++) {
            if (only != null && !only.equals(names[i])) {
                continue;
            }
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i] + "/api/ha"))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()).body();
                com.fasterxml.jackson.databind.JsonNode c = JSON.readTree(body).path("control_plane");
                if (!c.path("role").asText().equals("leader") || c.path("members").size() != 2) {
                    continue;
                }
                if (!settledOnly) {
                    return names[i];
                }
                long applied = c.path("last_applied").asLong();
                boolean settled = true;
                for (com.fasterxml.jackson.databind.JsonNode m : c.path("members")) {
                    settled &= m.path("last_contact_ms").asLong() <= 1000 && m.path("match_index").asLong() >= applied;
                }
                return settled ? names[i] : null;
            } catch (IOException e) {
                // not answering: not the leader
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The in-sync set {@code member}'s GET /ha/primary reports, as JSON ("" when it does not answer). */
    String inSyncSeenBy(String member) {
        int port = member.equals("a") ? BASE + 11 : BASE + 12;
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ha/primary"))
                .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"in_sync\":(\\[[^]]*])").matcher(body);
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The epoch {@code member}'s GET /ha/primary reports, or -1 when it does not answer. */
    long epochSeenBy(String member) {
        int port = member.equals("a") ? BASE + 11 : BASE + 12;
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ha/primary"))
                .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"epoch\":(\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
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

    /** Deletes {@code root} and everything under it (a pair's state and logs), if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops the pair, and keeps its members' logs in target/pair-logs/ (its folder goes with the test). */
    @Override
    public void close() throws Exception {
        run(60, "stop", dir.toString());
        Path keep = Path.of("target", "pair-logs", dir.getParent().getFileName() + "-" + dir.getFileName());
        Files.createDirectories(keep);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
