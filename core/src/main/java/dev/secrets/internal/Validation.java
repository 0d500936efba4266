package dev.secrets.internal;

import dev.secrets.internal.access.StoredValues;
import com.fasterxml.jackson.databind.JsonNode;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import dev.secrets.internal.json.Json;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/** Input checks done before any I/O; messages name the field, never the value. */
public final class Validation {
    public static final int MAX_DESCRIPTION = 2048;
    public static final int MAX_TAGS = 50;
    private static final Pattern KEY_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Validation() {
    }

    public static void valueFitsKind(SecretKind kind, SecretValue value) {
        if (!kind.isDatabase()) {
            return;
        }
        if (value.type() != ValueType.KEY_VALUE) {
            throw new InvalidSecretException("a " + kind + " secret holds a JSON object with username and password, not "
                    + (value.type() == ValueType.TEXT ? "text" : "bytes"));
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(StoredValues.bytes(value));
        } catch (IOException e) {
            throw new InvalidSecretException("a " + kind + " secret's value is not a JSON object");
        }
        requireString(kind, node, "username", true);
        requireString(kind, node, "password", true);
        requireString(kind, node, "engine", false);
        requireString(kind, node, "host", false);
        requireString(kind, node, "dbname", false);
        JsonNode port = node.get("port");
        if (port != null && !port.isNull()) {
            long p = -1;
            if (port.isIntegralNumber()) {
                p = port.asLong();
            } else if (port.isTextual() && port.asText().matches("\\d{1,5}")) {
                p = Long.parseLong(port.asText());
            }
            if (p < 1 || p > 65535) {
                throw new InvalidSecretException("field 'port' of a " + kind + " secret must be a port number from 1 to 65535");
            }
        }
        // host and dbname are written into JDBC URLs: nothing in them may read as parameters or settings.
        String problem = EndpointFields.problem(text(node, "host"), null, text(node, "dbname"));
        if (problem != null) {
            throw new InvalidSecretException("a " + kind + " secret's " + problem);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void requireString(SecretKind kind, JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidSecretException("a " + kind + " secret needs the field '" + field + "'");
            }
            return;
        }
        if (!v.isTextual()) {
            throw new InvalidSecretException("field '" + field + "' of a " + kind + " secret must be a string");
        }
        if (required && v.asText().isEmpty()) {
            throw new InvalidSecretException("field '" + field + "' of a " + kind + " secret is empty");
        }
    }

    public static String description(String d) {
        if (d != null && d.length() > MAX_DESCRIPTION) {
            throw new InvalidSecretException("description is " + d.length() + " characters long; at most " + MAX_DESCRIPTION + " are allowed");
        }
        return d;
    }

    public static void tags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new InvalidSecretException("a secret has at most " + MAX_TAGS + " tags, not " + tags.size());
        }
        tags.forEach(Validation::tag);
    }

    public static void tag(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > 128) {
            throw new InvalidSecretException("tag key must be 1 to 128 characters");
        }
        if (key.contains("=") || key.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidSecretException("tag key '" + key.replaceAll("\\p{Cntrl}", "?") + "' contains '=' or a control character");
        }
        if (value == null || value.length() > 256) {
            throw new InvalidSecretException("value of tag '" + key + "' must be 0 to 256 characters");
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidSecretException("value of tag '" + key + "' contains a control character");
        }
        if (key.equals(RotationStatusCheck.MAX_AGE)) {
            try {
                dev.secrets.SecretsConfig.parseDuration(key, value);
            } catch (RuntimeException e) {
                throw new InvalidSecretException("tag " + key + " is '" + value + "'; write a maximum age such as 90d, 2160h or P90D");
            }
        }
    }

    public static String keyName(String name) {
        if (name == null) {
            return "default";
        }
        if (!KEY_NAME.matcher(name).matches()) {
            throw new InvalidSecretException("master key name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not valid; use 1 to 64 of a-z 0-9 _ - starting with a letter or digit");
        }
        return name;
    }

    public static String token(String token) {
        if (token != null && !TOKEN.matcher(token).matches()) {
            throw new InvalidSecretException("idempotency token must be 1 to 64 of A-Z a-z 0-9 _ . -");
        }
        return token;
    }
}
