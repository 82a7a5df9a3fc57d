package io.warren.routing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A vhost "/" whose queues are a concurrent set, plus shorthands for tests. */
final class Fixture {

    final Set<String> queues = ConcurrentHashMap.newKeySet();
    final VirtualHost vhost = new VirtualHost("/", queues::contains);

    Fixture queues(String... names) {
        queues.addAll(Set.of(names));
        return this;
    }

    Exchange declare(String name, ExchangeType type) {
        return vhost.declareExchange(new Exchange(name, type, false, false, false, Map.of()));
    }

    Exchange declare(String name, ExchangeType type, Map<String, Object> args) {
        return vhost.declareExchange(new Exchange(name, type, false, false, false, args));
    }

    Exchange declareAutoDelete(String name, ExchangeType type) {
        return vhost.declareExchange(new Exchange(name, type, false, true, false, Map.of()));
    }

    boolean bindQueue(String exchange, String queue, String key) {
        queues.add(queue);
        return vhost.bind(new Binding(exchange, Destination.queue(queue), key));
    }

    boolean bindQueue(String exchange, String queue, Map<String, Object> args) {
        queues.add(queue);
        return vhost.bind(new Binding(exchange, Destination.queue(queue), "", args));
    }

    boolean bindExchange(String source, String destination, String key) {
        return vhost.bind(new Binding(source, Destination.exchange(destination), key));
    }

    Set<String> route(String exchange, String key) {
        return vhost.route(exchange, key, null).queues();
    }

    Set<String> route(String exchange, String key, Map<String, Object> headers) {
        return vhost.route(exchange, key, headers).queues();
    }
}
