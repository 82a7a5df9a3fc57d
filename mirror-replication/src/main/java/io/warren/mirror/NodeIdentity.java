package io.warren.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whose a member's state is, written beside it ({@code mirror-identity}: pair, node id, and the pair's history once
 * this node has joined it; a data node keeps it in its log directory, so that it travels with the log), so that the
 * state of another pair or another node is refused at start rather than joined, and a log written under another
 * history of the pair is refused before it is followed or served. The file is replaced whole (write, then rename).
 * Thread-safe.
 */
public final class NodeIdentity {

    static final String FILE = "mirror-identity";

    private final Path file;
    private final String pair;
    private final String node;
    private volatile String history;

    private NodeIdentity(Path file, String pair, String node, String history) {
        this.file = file;
        this.pair = pair;
        this.node = node;
        this.history = history;
    }

    /**
     * Reads the identity kept in {@code dataDir} (a data node's log directory, a witness's data directory), or writes
     * one for a directory that has none yet.
     *
     * @throws IllegalStateException when the directory belongs to another pair or another node
     */
    public static NodeIdentity claim(Path dataDir, String pair, String node) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            NodeIdentity fresh = new NodeIdentity(file, pair, node, null);
            fresh.write();
            return fresh;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        String hisPair = fields.get("pair");
        String hisNode = fields.get("node");
        if (hisPair == null || hisNode == null) {
            throw new IllegalStateException(file + " is not a mirror identity (no pair or node): remove it or fix it");
        }
        if (!hisPair.equals(pair)) {
            throw new IllegalStateException("directory " + dataDir + " belongs to node '" + hisNode + "' of pair '" + hisPair
                + "', not to pair '" + pair + "' (" + file + "): a node of another pair is not joined; give it a data "
                + "directory of its own, or check warren.mirror.pair");
        }
        if (!hisNode.equals(node)) {
            throw new IllegalStateException("directory " + dataDir + " belongs to node '" + hisNode + "' of pair '" + pair
                + "', not to node '" + node + "' (" + file + "): two nodes must not share one id or one data directory");
        }
        String history = fields.get("history");
        return new NodeIdentity(file, pair, node, history == null || history.isEmpty() ? null : history);
    }

    /** The pair's history this directory's log was written under, or null before it joined one. */
    public String history() {
        return history;
    }

    /** Notes that this directory's log now follows {@code newHistory} (a node joining its pair's history). */
    public synchronized void adopt(String newHistory) throws IOException {
        history = newHistory;
        write();
    }

    private synchronized void write() throws IOException {
        String text = "# which mirrored pair, node and history this data directory belongs to; written by Warren\n"
            + "pair=" + pair + "\nnode=" + node + "\n" + (history == null ? "" : "history=" + history + "\n");
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
