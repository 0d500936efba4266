package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.server.internal.auth.Policy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One authenticated request: the caller (access key name and policy) and the JSON body, with typed
 * accessors that answer AWS's errors for a wrong type. Unknown fields were refused before.
 */
public final class Call {
    private final String caller;
    private final Policy policy;
    private final ObjectNode body;

    public Call(String caller, Policy policy, ObjectNode body) {
        this.caller = caller;
        this.policy = policy;
        this.body = body;
    }

    public String caller() {
        return caller;
    }

    Policy policy() {
        return policy;
    }

    /** Refuses a field not in {@code known}: AWS's models are closed, and a typo must not pass silently. */
    static void onlyKnown(ObjectNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw AwsError.serialization("Unknown field '" + f.replaceAll("[^A-Za-z0-9_]", "?") + "'");
            }
        }
    }

    boolean has(String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    String string(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw AwsError.serialization("Field '" + field + "' must be a string");
        }
        return n.asText();
    }

    String requiredString(String field) {
        String s = string(field);
        if (s == null || s.isEmpty()) {
            throw AwsError.invalidParameter("You must specify " + field + ".");
        }
        return s;
    }

    Boolean bool(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw AwsError.serialization("Field '" + field + "' must be a boolean");
        }
        return n.asBoolean();
    }

    Long number(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw AwsError.serialization("Field '" + field + "' must be an integer");
        }
        return n.asLong();
    }

    byte[] blob(String field) {
        String s = string(field);
        if (s == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw AwsError.serialization("Field '" + field + "' must be base64");
        }
    }

    List<String> strings(String field) {
        JsonNode n = body.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw AwsError.serialization("Field '" + field + "' must be a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw AwsError.serialization("Field '" + field + "' must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    JsonNode node(String field) {
        return body.get(field);
    }
}
