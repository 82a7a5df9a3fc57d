package io.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sender-selected distribution: the routing keys carried in a message's "CC" and "BCC" headers, which
 * RabbitMQ routes by in addition to the publish routing key. Only array values count, and within them
 * only string elements (RabbitMQ's {@code {longstr, Route} <- Routes}); anything else is ignored.
 * Stateless; any thread.
 */
final class SenderSelected {

    static final String CC = "CC";
    static final String BCC = "BCC";

    private SenderSelected() {
    }

    /** True when the headers carry CC or BCC keys; cheap enough for every publish. */
    static boolean present(Map<String, Object> headers) {
        return headers != null && !headers.isEmpty() && (headers.get(CC) instanceof List || headers.get(BCC) instanceof List);
    }

    /** The publish key followed by the CC and BCC keys, in that order, duplicates removed. */
    static List<String> keys(String routingKey, Map<String, Object> headers) {
        List<String> keys = new ArrayList<>();
        keys.add(routingKey);
        addAll(keys, headers.get(CC));
        addAll(keys, headers.get(BCC));
        return keys;
    }

    private static void addAll(List<String> keys, Object header) {
        if (!(header instanceof List<?> list)) return;
        for (Object element : list) {
            if (FieldValues.isLongString(element)) {
                String key = element.toString();
                if (!keys.contains(key)) keys.add(key);
            }
        }
    }
}
