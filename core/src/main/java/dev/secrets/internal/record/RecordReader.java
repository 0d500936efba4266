package dev.secrets.internal.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.secrets.ValueType;
import dev.secrets.internal.json.JsonTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a record's JSON into a {@link SecretRecord} from Jackson's tree, field by field, as the
 * mapper's data binding would — unknown fields ignored, absent fields left at their defaults, a JSON
 * null giving null (or 0 / false for a primitive) — without building a mapper or a bean
 * deserializer, which a one-shot reader such as {@code secrets get} would pay for on every call.
 * Records are still written by the mapper ({@link RecordCodec#encode}); {@code RecordReaderTest}
 * checks that every field of all three classes reads back as written.
 */
final class RecordReader {
    private RecordReader() {
    }

    /** @throws IOException when the JSON does not parse or a field has the wrong shape */
    static SecretRecord read(byte[] json) throws IOException {
        JsonNode n = JsonTree.read(json);
        try {
            return record(object(n, "record"));
        } catch (RuntimeException e) {
            throw new IOException("malformed record (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SecretRecord record(JsonNode n) throws IOException {
        SecretRecord r = new SecretRecord();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "format" -> r.format = (int) integer(v, f.getKey());
                case "id" -> r.id = text(v, f.getKey());
                case "generation" -> r.generation = integer(v, f.getKey());
                case "tombstone" -> r.tombstone = bool(v, f.getKey());
                case "kind" -> r.kind = text(v, f.getKey());
                case "description" -> r.description = text(v, f.getKey());
                case "tags" -> r.tags = textMap(v, f.getKey());
                case "keyName" -> r.keyName = text(v, f.getKey());
                case "created" -> r.created = text(v, f.getKey());
                case "lastChanged" -> r.lastChanged = text(v, f.getKey());
                case "lastRotated" -> r.lastRotated = text(v, f.getKey());
                case "deletionDate" -> r.deletionDate = text(v, f.getKey());
                case "rotation" -> r.rotation = v.isNull() ? null : rotation(object(v, f.getKey()));
                case "versions" -> r.versions = versions(v);
                default -> {
                    // written by a later version: ignored, as the mapper ignores it
                }
            }
        }
        return r;
    }

    private static List<VersionEntry> versions(JsonNode n) throws IOException {
        if (n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new IOException("versions is not an array");
        }
        List<VersionEntry> list = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            list.add(e.isNull() ? null : version(object(e, "version")));
        }
        return list;
    }

    private static VersionEntry version(JsonNode n) throws IOException {
        VersionEntry v = new VersionEntry();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode x = f.getValue();
            switch (f.getKey()) {
                case "id" -> v.id = text(x, f.getKey());
                case "labels" -> v.labels = textList(x, f.getKey());
                case "created" -> v.created = text(x, f.getKey());
                case "destroyed" -> v.destroyed = text(x, f.getKey());
                case "type" -> v.type = x.isNull() ? null : ValueType.valueOf(text(x, f.getKey()));
                case "keyVersion" -> v.keyVersion = (int) integer(x, f.getKey());
                case "wrappedKey" -> v.wrappedKey = bytes(x, f.getKey());
                case "nonce" -> v.nonce = bytes(x, f.getKey());
                case "ciphertext" -> v.ciphertext = bytes(x, f.getKey());
                default -> {
                }
            }
        }
        return v;
    }

    private static RotationState rotation(JsonNode n) throws IOException {
        RotationState s = new RotationState();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode x = f.getValue();
            switch (f.getKey()) {
                case "rotator" -> s.rotator = text(x, f.getKey());
                case "schedule" -> s.schedule = text(x, f.getKey());
                case "zone" -> s.zone = text(x, f.getKey());
                case "params" -> s.params = textMap(x, f.getKey());
                case "enabled" -> s.enabled = bool(x, f.getKey());
                case "nextRotation" -> s.nextRotation = text(x, f.getKey());
                case "pendingVersion" -> s.pendingVersion = text(x, f.getKey());
                case "completedStep" -> s.completedStep = text(x, f.getKey());
                case "cancelRequested" -> s.cancelRequested = bool(x, f.getKey());
                case "leaseOwner" -> s.leaseOwner = text(x, f.getKey());
                case "leaseUntil" -> s.leaseUntil = text(x, f.getKey());
                case "lastAttempt" -> s.lastAttempt = text(x, f.getKey());
                case "lastOutcome" -> s.lastOutcome = text(x, f.getKey());
                case "failedStep" -> s.failedStep = text(x, f.getKey());
                case "lastError" -> s.lastError = text(x, f.getKey());
                default -> {
                }
            }
        }
        return s;
    }

    private static JsonNode object(JsonNode n, String what) throws IOException {
        if (!n.isObject()) {
            throw new IOException(what + " is not an object");
        }
        return n;
    }

    private static String text(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new IOException(field + " is not a scalar");
        }
        return n.asText();
    }

    private static long integer(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return 0;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual()) {
            return Long.parseLong(n.textValue()); // NumberFormatException: malformed
        }
        throw new IOException(field + " is not an integer");
    }

    private static boolean bool(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.textValue().equals("true") || n.textValue().equals("false"))) {
            return n.textValue().equals("true"); // as the mapper coerces
        }
        throw new IOException(field + " is not a boolean");
    }

    private static byte[] bytes(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IOException(field + " is not base64 text");
        }
        return n.binaryValue();
    }

    private static List<String> textList(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new IOException(field + " is not an array");
        }
        List<String> list = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            list.add(text(e, field));
        }
        return list;
    }

    private static Map<String, String> textMap(JsonNode n, String field) throws IOException {
        if (n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IOException(field + " is not an object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), text(e.getValue(), field));
        }
        return map;
    }
}
