package io.warren.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.Map;

/**
 * Topic exchange: a trie over the binding keys' words, with results cached per routing key. The cache
 * outlives table rebuilds (it belongs to the exchange); each entry is stamped with the bindings
 * generation of the table that computed it and ignored by tables of another generation, so a binding
 * change invalidates everything without a scan. Immutable apart from the thread-safe cache; any thread.
 */
final class TopicTable implements BindingTable {

    /** Bounded so that a publisher using random keys cannot grow memory without limit. */
    static final int CACHE_SIZE = 10_000;

    private record Stamped(long generation, DestinationSet destinations) {
    }

    private final TopicTrie trie;
    private final Cache<String, Stamped> cache;
    private final long generation;

    private TopicTable(TopicTrie trie, Cache<String, Stamped> cache, long generation) {
        this.trie = trie;
        this.cache = cache;
        this.generation = generation;
    }

    static TopicTable of(Collection<Binding> bindings, BindingTable previous, long generation) {
        Cache<String, Stamped> cache = previous instanceof TopicTable old
                ? old.cache
                // run maintenance on the caller: no common-pool tasks from the routing hot path
                : Caffeine.newBuilder().maximumSize(CACHE_SIZE).executor(Runnable::run).build();
        return new TopicTable(TopicTrie.of(bindings), cache, generation);
    }

    @Override
    public DestinationSet match(String routingKey, Map<String, Object> headers) {
        if (trie.isEmpty()) return DestinationSet.EMPTY;
        Stamped hit = cache.getIfPresent(routingKey);
        if (hit != null && hit.generation == generation) return hit.destinations;
        DestinationSet computed = DestinationSet.of(trie.match(routingKey));
        cache.put(routingKey, new Stamped(generation, computed));
        return computed;
    }

    long generation() {
        return generation;
    }
}
