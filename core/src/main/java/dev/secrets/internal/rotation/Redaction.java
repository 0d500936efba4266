package dev.secrets.internal.rotation;

import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scrubs secret values out of error text before it is stored or thrown: a safety net under the rule
 * that rotators never put values into messages (a database error may quote a statement).
 */
final class Redaction {
    /** Shorter strings (ports, flags) are too common to be worth masking, and are not secrets. */
    private static final int MIN = 4;

    private Redaction() {
    }

    private static SecretValue asFields(SecretValue text) {
        try {
            return SecretValue.ofJson(text.text());
        } catch (dev.secrets.InvalidSecretException notAnObject) {
            return null;
        }
    }

    static String redact(String text, List<SecretValue> values) {
        List<String> secrets = new ArrayList<>();
        for (SecretValue v : values) {
            if (v.type() == ValueType.TEXT) {
                secrets.add(v.text());
                v = asFields(v); // a JSON-object text is used as credentials: its fields are secrets too
            }
            if (v != null && v.type() == ValueType.KEY_VALUE) {
                v.fields().forEach((k, s) -> {
                    if (s != null && isSecretField(k)) {
                        secrets.add(s);
                    }
                });
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String s : secrets) {
            if (s.length() >= MIN) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    /** Connection coordinates (user names, hosts) help an operator and are not masked; everything else is. */
    private static boolean isSecretField(String name) {
        switch (name) {
            case "username":
            case "host":
            case "port":
            case "dbname":
            case "engine":
                return false;
            default:
                return true;
        }
    }
}
