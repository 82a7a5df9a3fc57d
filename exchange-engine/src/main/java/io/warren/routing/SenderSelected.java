package io.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sender-selected distribution: the routing keys carried in a message's "CC" and "BCC" headers, which
 * RabbitMQ routes by in addition to the publish routing key. The value must be an array (anything else is
 * refused, as RabbitMQ's "unacceptable_type_in_header"), and only its string elements count (RabbitMQ's
 * {@code {longstr, Route} <- Routes}); other elements are ignored.
 * Stateless; any thread.
 */
final class SenderSelected {

    static final String CC = "CC";
    static final String BCC = "BCC";

    private SenderSelected() {
    }

    /** True when the headers carry a CC or BCC header; cheap enough for every publish. */
    static boolean present(Map<String, Object> headers) {
        return headers != null && !headers.isEmpty() && (headers.containsKey(CC) || headers.containsKey(BCC));
    }

    /**
     * The publish key followed by the CC and BCC keys, in that order, duplicates removed.
     *
     * @throws RoutingException PRECONDITION_FAILED when CC or BCC is not an array, as RabbitMQ refuses the message
     */
    static List<String> keys(String routingKey, Map<String, Object> headers) {
        check(headers, CC);
        check(headers, BCC);
        List<String> keys = new ArrayList<>();
        keys.add(routingKey);
        addAll(keys, headers.get(CC));
        addAll(keys, headers.get(BCC));
        return keys;
    }

    private static void check(Map<String, Object> headers, String name) {
        if (headers.containsKey(name) && !(headers.get(name) instanceof List)) {
            throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                    "invalid message: {unacceptable_type_in_header,\"" + name + "\","
                            + FieldValues.typeName(headers.get(name)) + "}");
        }
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
