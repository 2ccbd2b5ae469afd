package io.sparkmlp.kernel.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical Java form of JSON values used by {@link Model#info()}, and its conversion to and
 * from Jackson trees. Canonical: maps sorted by key (so equal maps give equal bytes), integers as
 * {@code Long} (or {@code BigInteger} beyond long), other numbers as {@code Double}, non-finite
 * numbers as their names. {@code canonical(fromJson(toJson(v))) == v} for every canonical v.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonValues() {
    }

    /**
     * An unmodifiable key-sorted copy of {@code map} with every value canonical.
     *
     * @param path where the map sits, for messages (e.g. {@code info.config})
     */
    static Map<String, Object> canonicalMap(Map<?, ?> map, String path) {
        TreeMap<String, Object> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": map keys must be strings, found "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName() + " " + e.getKey()));
            }
            out.put(key, canonical(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(out);
    }

    static Object canonical(Object v, String path) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0 ? (Object) b.longValue() : b;
        }
        if (v instanceof Float f) {
            // The JSON text of a float is its shortest decimal, which reads back as this double.
            return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : nonFinite(f);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? (Object) d : nonFinite(d);
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            return canonicalMap(m, path);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) out.add(canonical(list.get(i), path + "[" + i + "]"));
            return Collections.unmodifiableList(out);
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(canonical(Array.get(v, i), path + "[" + i + "]"));
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException(path + ": a " + v.getClass().getName() + " is not a JSON value;"
                + " expected a string, number, boolean, null, list, array or map with string keys");
    }

    private static String nonFinite(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    /** A Jackson tree of a canonical value. */
    static JsonNode toJson(Object v) {
        if (v == null) return NODES.nullNode();
        if (v instanceof String s) return NODES.textNode(s);
        if (v instanceof Boolean b) return NODES.booleanNode(b);
        if (v instanceof Long l) return NODES.numberNode(l);
        if (v instanceof BigInteger b) return NODES.numberNode(b);
        if (v instanceof Double d) return NODES.numberNode(d);
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) o.set((String) e.getKey(), toJson(e.getValue()));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            for (Object x : list) a.add(toJson(x));
            return a;
        }
        throw new IllegalStateException("not a canonical JSON value: " + v.getClass().getName());
    }

    /** The canonical Java value of a Jackson tree. */
    static Object fromJson(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) return canonical(node.bigIntegerValue(), path);
        if (node.isNumber()) return canonical(node.doubleValue(), path);
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) out.add(fromJson(node.get(i), path + "[" + i + "]"));
            return Collections.unmodifiableList(out);
        }
        if (node.isObject()) {
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), fromJson(e.getValue(), path + "." + e.getKey()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException(path + ": unsupported JSON node " + node.getNodeType());
    }
}
