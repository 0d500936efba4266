package dev.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.internal.access.StoredValues;
import dev.secrets.internal.json.Json;
import dev.secrets.internal.json.JsonTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret value: key/value fields, text, or bytes. Immutable and thread-safe.
 *
 * <p>{@link #toString()} never shows the value — only its type, size and, for key/value, the field
 * names. {@link #equals(Object)} compares in constant time.
 */
public final class SecretValue {
    /** Largest value accepted, in bytes of its stored form (UTF-8 JSON, UTF-8 text, or the bytes). */
    public static final int MAX_BYTES = 64 * 1024;

    static {
        StoredValues.install(new Access());
    }

    private final ValueType type;
    private final byte[] bytes;
    private volatile Map<String, String> fields; // parsed lazily for KEY_VALUE

    private SecretValue(ValueType type, byte[] bytes, Map<String, String> fields) {
        this.type = type;
        this.bytes = bytes;
        this.fields = fields;
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSecretException("value is " + bytes.length + " bytes; at most " + MAX_BYTES + " (64 KiB) are allowed");
        }
    }

    /**
     * Key/value fields. Values must be strings, numbers, booleans or null.
     *
     * @throws InvalidSecretException naming a field whose value is not a scalar, or when too large
     */
    public static SecretValue ofFields(Map<String, ?> fields) {
        Objects.requireNonNull(fields, "fields");
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "field name");
            Object v = e.getValue();
            if (v == null) {
                node.putNull(key);
            } else if (v instanceof CharSequence) {
                node.put(key, v.toString());
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                node.put(key, ((Number) v).longValue());
            } else if (v instanceof Number) {
                node.put(key, ((Number) v).doubleValue());
            } else if (v instanceof Boolean) {
                node.put(key, (Boolean) v);
            } else {
                throw new InvalidSecretException("field '" + key + "' must be a string, number, boolean or null, not a "
                        + v.getClass().getSimpleName());
            }
        }
        return fromObjectNode(node);
    }

    /**
     * A one-level JSON object, as key/value fields.
     *
     * @throws InvalidSecretException when the text is not a JSON object, or a field holds an object or array
     */
    public static SecretValue ofJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the input: do not keep it or its cause.
            throw new InvalidSecretException("value is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidSecretException("value is not a JSON object; store it as text instead");
        }
        return fromObjectNode((ObjectNode) node);
    }

    /** Text: any string, including JSON of any depth. */
    public static SecretValue ofText(String text) {
        Objects.requireNonNull(text, "text");
        return new SecretValue(ValueType.TEXT, text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Bytes; the array is copied. */
    public static SecretValue ofBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new SecretValue(ValueType.BINARY, bytes.clone(), null);
    }

    /** Rebuilds a value from its stored form (kept, not copied); used when decrypting, through {@link StoredValues}. */
    static SecretValue fromStored(ValueType type, byte[] stored) {
        if (type == ValueType.KEY_VALUE) {
            try {
                // Parsed without the mapper (JsonTree) and kept as stored: the mapper wrote these bytes.
                JsonNode node = JsonTree.read(stored);
                if (node instanceof ObjectNode) {
                    return new SecretValue(ValueType.KEY_VALUE, stored, fields((ObjectNode) node));
                }
            } catch (java.io.IOException e) {
                // fall through: never include the parser's message (it can quote the value)
            }
            throw new SecretsException("stored key/value is not a JSON object");
        }
        return new SecretValue(type, stored, null);
    }

    private static SecretValue fromObjectNode(ObjectNode node) {
        Map<String, String> map = fields(node);
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new SecretsException("could not encode key/value fields");
        }
        return new SecretValue(ValueType.KEY_VALUE, bytes, map);
    }

    /** The fields of {@code node}, unmodifiable; a nested object or array is refused. */
    private static Map<String, String> fields(ObjectNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                throw new InvalidSecretException("field '" + e.getKey() + "' holds a nested "
                        + (v.isArray() ? "array" : "object") + "; key/value secrets are one level deep (store nested JSON as text)");
            }
            map.put(e.getKey(), v.isNull() ? null : v.asText());
        }
        return Collections.unmodifiableMap(map);
    }

    public ValueType type() {
        return type;
    }

    /** Size of the stored form in bytes. */
    public int size() {
        return bytes.length;
    }

    /** The text of a text value, or the JSON of a key/value value. */
    public String text() {
        if (type == ValueType.BINARY) {
            throw new SecretsException("value is binary; use bytes()");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A copy of the stored form: the bytes of a binary value, UTF-8 of text or JSON otherwise. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The fields of a key/value value, numbers and booleans as text; unmodifiable, in stored order. */
    public Map<String, String> fields() {
        if (type != ValueType.KEY_VALUE) {
            throw new SecretsException("value is " + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '/') + ", not key/value");
        }
        Map<String, String> f = fields;
        if (f == null) {
            f = fromStored(type, bytes).fields;
            fields = f;
        }
        return f;
    }

    /** The field, if this is a key/value value that has it (with a non-null value). */
    public Optional<String> findField(String name) {
        return type == ValueType.KEY_VALUE ? Optional.ofNullable(fields().get(name)) : Optional.empty();
    }

    /**
     * The field's value.
     *
     * @throws SecretsException when the value is not key/value or has no such field
     */
    public String field(String name) {
        return findField(name).orElseThrow(() -> new SecretsException("secret value has no field '" + name + "'"));
    }

    /** The stored form without copying; for this library's encryption path only, through {@link StoredValues}. */
    byte[] unsafeBytes() {
        return bytes;
    }

    /** Hands the two package-private doors above to the encryption path only. */
    private static final class Access implements StoredValues.Access {
        @Override
        public byte[] stored(SecretValue value) {
            return value.unsafeBytes();
        }

        @Override
        public SecretValue fromStored(ValueType type, byte[] stored) {
            return SecretValue.fromStored(type, stored);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue && ((SecretValue) o).type == type
                && MessageDigest.isEqual(((SecretValue) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + bytes.length;
    }

    @Override
    public String toString() {
        if (type == ValueType.KEY_VALUE) {
            return "SecretValue[key/value, fields=" + fields().keySet() + ", values masked]";
        }
        return "SecretValue[" + type.name().toLowerCase(java.util.Locale.ROOT) + ", " + bytes.length + " bytes, masked]";
    }
}
