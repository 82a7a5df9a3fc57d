package io.warren.routing;

import java.util.Map;

/**
 * The immutable routing table of one exchange, built by its {@link ExchangeType} from the exchange's
 * bindings each time they change. Implementations are immutable (or use only thread-safe caches);
 * any thread.
 */
interface BindingTable {

    /** The destinations matched for one routing key; never null. */
    DestinationSet match(String routingKey, Map<String, Object> headers);

    /** True when the routing key plays no part (fanout, headers): one match covers all CC/BCC keys. */
    default boolean ignoresRoutingKey() {
        return false;
    }
}
