package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that decides how a trace looks as JSON: the mapper, the pretty printer (two-space
 * indent, {@code "key": value}, {@code \n} line ends on every platform) and the conversion of the
 * free-form values roles pass in ({@code fields}, {@code params}, {@code configuration}) into JSON
 * with sorted keys, so the same run always gives the same bytes.
 */
public final class TraceJson {
    /** The schema version this code writes; readers accept any 1.x. */
    public static final String SCHEMA_VERSION = "1.0";

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TraceJson() { }

    /** Deterministic pretty-printed JSON of a node, ending in a newline. */
    public static String pretty(JsonNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter)
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return MAPPER.writer(printer).writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
        }
    }

    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /**
     * Converts a value from a role into JSON: maps become objects with keys in sorted order,
     * {@code byte[]} becomes hex, collections and arrays become arrays, enums their name, instants
     * ISO-8601; anything else its {@code toString()}.
     */
    public static JsonNode toNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode node) {
            return sortKeys(node);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Hex.encode(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            ObjectNode obj = NODES.objectNode();
            sorted.forEach((k, v) -> obj.set(k, toNode(v)));
            return obj;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode arr = NODES.arrayNode();
            for (Object item : items) {
                arr.add(toNode(item));
            }
            return arr;
        }
        if (value instanceof int[] ints) {
            ArrayNode arr = NODES.arrayNode();
            for (int i : ints) {
                arr.add(i);
            }
            return arr;
        }
        if (value instanceof Object[] objects) {
            ArrayNode arr = NODES.arrayNode();
            for (Object item : objects) {
                arr.add(toNode(item));
            }
            return arr;
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        if (value instanceof Instant || value instanceof TemporalAccessor) {
            return NODES.textNode(value.toString());
        }
        return NODES.textNode(value.toString());
    }

    /** A copy of a JSON tree whose object keys are in sorted order (arrays keep their order). */
    public static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), sortKeys(e.getValue())));
            ObjectNode obj = NODES.objectNode();
            sorted.forEach(obj::set);
            return obj;
        }
        if (node.isArray()) {
            ArrayNode arr = NODES.arrayNode();
            node.forEach(item -> arr.add(sortKeys(item)));
            return arr;
        }
        return node.deepCopy();
    }
}
