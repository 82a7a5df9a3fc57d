package io.warren.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trie over the dot-separated words of topic binding keys: {@code *} matches exactly one word and
 * {@code #} zero or more. Words are split as RabbitMQ does: "" has no words, "a..b" has an empty middle
 * word, ".a" and "a." have an empty first/last word. Built once, then immutable; any thread.
 */
final class TopicTrie {

    private static final class Node {
        final int id;
        final Map<String, Node> children = new HashMap<>();
        Node star;
        Node hash;
        final List<Destination> destinations = new ArrayList<>(0);

        Node(int id) {
            this.id = id;
        }
    }

    private final Node root;
    private final boolean hasHash;
    private final boolean empty;

    private TopicTrie(Node root, boolean hasHash, boolean empty) {
        this.root = root;
        this.hasHash = hasHash;
        this.empty = empty;
    }

    static TopicTrie of(Collection<Binding> bindings) {
        int[] ids = {0};
        Node root = new Node(ids[0]++);
        boolean hasHash = false;
        for (Binding b : bindings) {
            Node node = root;
            for (String word : split(b.routingKey())) {
                switch (word) {
                    case "*" -> node = node.star != null ? node.star : (node.star = new Node(ids[0]++));
                    case "#" -> {
                        hasHash = true;
                        node = node.hash != null ? node.hash : (node.hash = new Node(ids[0]++));
                    }
                    default -> node = node.children.computeIfAbsent(word, w -> new Node(ids[0]++));
                }
            }
            if (!node.destinations.contains(b.destination())) node.destinations.add(b.destination());
        }
        return new TopicTrie(root, hasHash, bindings.isEmpty());
    }

    boolean isEmpty() {
        return empty;
    }

    /** The destinations of every binding whose key matches the routing key, without duplicates. */
    Set<Destination> match(String routingKey) {
        Set<Destination> out = new LinkedHashSet<>();
        // With '#' the same (node, word position) can be reached along many paths ("#.#.#"): remember
        // the visited states so that matching stays linear in trie size times key length.
        Set<Long> visited = hasHash ? new HashSet<>() : null;
        match(root, split(routingKey), 0, out, visited);
        return out;
    }

    private static void match(Node node, String[] words, int i, Set<Destination> out, Set<Long> visited) {
        if (visited != null && !visited.add(((long) node.id << 32) | i)) return;
        if (i == words.length) {
            out.addAll(node.destinations);
            if (node.hash != null) match(node.hash, words, i, out, visited);
            return;
        }
        Node literal = node.children.get(words[i]);
        if (literal != null) match(literal, words, i + 1, out, visited);
        if (node.star != null) match(node.star, words, i + 1, out, visited);
        if (node.hash != null) {
            for (int j = i; j <= words.length; j++) match(node.hash, words, j, out, visited);
        }
    }

    /** Splits a key into words as RabbitMQ does: "" is zero words, otherwise every dot separates two words. */
    static String[] split(String key) {
        if (key.isEmpty()) return new String[0];
        int count = 1;
        for (int i = 0; i < key.length(); i++) if (key.charAt(i) == '.') count++;
        String[] words = new String[count];
        int start = 0;
        int w = 0;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '.') {
                words[w++] = key.substring(start, i);
                start = i + 1;
            }
        }
        words[w] = key.substring(start);
        return words;
    }
}
