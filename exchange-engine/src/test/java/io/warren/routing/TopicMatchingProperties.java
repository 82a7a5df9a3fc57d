package io.warren.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The topic trie (with its cache) against a naive recursive matcher over RabbitMQ's word split. */
class TopicMatchingProperties {

    @Property(tries = 2000)
    void oneBindingMatchesLikeTheOracle(@ForAll("bindingKeys") String bindingKey,
                                        @ForAll("routingKeys") String routingKey) {
        Fixture f = new Fixture();
        f.declare("t", ExchangeType.TOPIC);
        f.bindQueue("t", "q", bindingKey);

        boolean expected = Oracle.matches(bindingKey, routingKey);
        assertThat(f.route("t", routingKey).contains("q")).as("'%s' vs '%s'", bindingKey, routingKey).isEqualTo(expected);
        assertThat(f.route("t", routingKey).contains("q")).as("cached").isEqualTo(expected);
    }

    @Property(tries = 500)
    void manyBindingsMatchLikeTheOracle(@ForAll("bindingKeyLists") List<String> bindingKeys,
                                        @ForAll("routingKeyLists") List<String> routingKeys) {
        Fixture f = new Fixture();
        f.declare("t", ExchangeType.TOPIC);
        for (int i = 0; i < bindingKeys.size(); i++) f.bindQueue("t", "q" + i, bindingKeys.get(i));

        for (String routingKey : routingKeys) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < bindingKeys.size(); i++) {
                if (Oracle.matches(bindingKeys.get(i), routingKey)) expected.add("q" + i);
            }
            assertThat(f.route("t", routingKey)).as("%s vs '%s'", bindingKeys, routingKey).isEqualTo(expected);
        }
    }

    @Example
    void everyShortKeyMatchesLikeTheOracle() {
        List<String> bindingKeys = allKeys(List.of("a", "", "*", "#"), 3);
        List<String> routingKeys = allKeys(List.of("a", "b", ""), 3);
        Fixture f = new Fixture();
        f.declare("t", ExchangeType.TOPIC);
        for (int i = 0; i < bindingKeys.size(); i++) f.bindQueue("t", "q" + i, bindingKeys.get(i));
        for (String routingKey : routingKeys) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < bindingKeys.size(); i++) {
                if (Oracle.matches(bindingKeys.get(i), routingKey)) expected.add("q" + i);
            }
            assertThat(f.route("t", routingKey)).as("'%s'", routingKey).isEqualTo(expected);
        }
    }

    /** Every key of up to maxWords words over the alphabet (distinct strings only). */
    private static List<String> allKeys(List<String> alphabet, int maxWords) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        List<List<String>> level = List.of(List.of());
        for (int n = 0; n <= maxWords; n++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> words : level) {
                keys.add(String.join(".", words));
                for (String w : alphabet) {
                    List<String> longer = new ArrayList<>(words);
                    longer.add(w);
                    next.add(longer);
                }
            }
            level = next;
        }
        return new ArrayList<>(keys);
    }

    @Provide
    Arbitrary<String> bindingKeys() {
        return keys(Arbitraries.of("a", "b", "", "*", "#", "ab"));
    }

    @Provide
    Arbitrary<String> routingKeys() {
        return keys(Arbitraries.of("a", "b", "", "ab", "*", "#"));
    }

    @Provide
    Arbitrary<List<String>> bindingKeyLists() {
        return bindingKeys().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> routingKeyLists() {
        return routingKeys().list().ofMinSize(1).ofMaxSize(5);
    }

    private static Arbitrary<String> keys(Arbitrary<String> words) {
        return words.list().ofMaxSize(6).map(list -> String.join(".", list));
    }

    /** Naive matcher: recursion over word lists, '#' tried at every length. */
    static final class Oracle {
        static boolean matches(String bindingKey, String routingKey) {
            return matches(words(bindingKey), 0, words(routingKey), 0);
        }

        private static boolean matches(List<String> pattern, int p, List<String> key, int k) {
            if (p == pattern.size()) return k == key.size();
            String word = pattern.get(p);
            if (word.equals("#")) {
                for (int skip = k; skip <= key.size(); skip++) {
                    if (matches(pattern, p + 1, key, skip)) return true;
                }
                return false;
            }
            if (k == key.size()) return false;
            return (word.equals("*") || word.equals(key.get(k))) && matches(pattern, p + 1, key, k + 1);
        }

        /** RabbitMQ's split: "" is no words; otherwise String.split keeping trailing empties. */
        private static List<String> words(String key) {
            return key.isEmpty() ? List.of() : new ArrayList<>(List.of(key.split("\\.", -1)));
        }
    }
}
