package io.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One headers-exchange binding compiled for matching, with RabbitMQ's rules: "x-match" is all (the
 * default), any, all-with-x or any-with-x; pattern keys starting with "x-" are ignored unless the
 * -with-x variant is used; a void (null) pattern value matches the mere presence of the header; other
 * values compare with Erlang's == ({@link FieldValues#equivalent}). With no pattern keys left, "all"
 * matches every message and "any" none. Immutable; any thread.
 */
final class HeadersPattern {

    static final String X_MATCH = "x-match";

    private final boolean any;
    private final String[] keys;
    private final Object[] values;

    private HeadersPattern(boolean any, String[] keys, Object[] values) {
        this.any = any;
        this.keys = keys;
        this.values = values;
    }

    /** Compiles a binding's arguments; an invalid x-match is PRECONDITION_FAILED as in RabbitMQ. */
    static HeadersPattern compile(Binding binding) {
        Map<String, Object> args = binding.arguments();
        String mode = "all";
        if (args.containsKey(X_MATCH)) {
            Object value = args.get(X_MATCH);
            if (!FieldValues.isLongString(value)) {
                throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                        "Invalid x-match field type " + FieldValues.typeName(value) + " (value "
                                + FieldValues.print(value) + "); expected longstr");
            }
            mode = value.toString();
        }
        boolean withX;
        boolean any;
        switch (mode) {
            case "all" -> { any = false; withX = false; }
            case "any" -> { any = true; withX = false; }
            case "all-with-x" -> { any = false; withX = true; }
            case "any-with-x" -> { any = true; withX = true; }
            default -> throw new RoutingException(RoutingException.Reason.PRECONDITION_FAILED,
                    "Invalid x-match field value " + FieldValues.printBinary(mode)
                            + "; expected all, any, all-with-x, or any-with-x");
        }
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        args.forEach((key, value) -> {
            if (key.equals(X_MATCH) || !withX && key.startsWith("x-")) return;
            keys.add(key);
            values.add(value);
        });
        return new HeadersPattern(any, keys.toArray(new String[0]), values.toArray());
    }

    boolean matches(Map<String, Object> headers) {
        for (int i = 0; i < keys.length; i++) {
            boolean hit = matchesOne(i, headers);
            if (any && hit) return true;
            if (!any && !hit) return false;
        }
        return !any;
    }

    private boolean matchesOne(int i, Map<String, Object> headers) {
        if (headers == null || !headers.containsKey(keys[i])) return false;
        return values[i] == null || FieldValues.equivalent(values[i], headers.get(keys[i]));
    }
}
