package dev.secrets.internal.pkcs11;

import dev.secrets.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A PKCS#11 URI (RFC 7512) naming an AES key in a token:
 * {@code pkcs11:token=LABEL;object=LABEL?module-path=/path/lib.so&pin-source=file:/path} (or
 * {@code pin-source=env:NAME}). Path attributes select the token ({@code token},
 * {@code manufacturer}, {@code serial}, {@code model}, or {@code slot-id}) and the key
 * ({@code object}, {@code type=secret-key}); {@code pin-value} is refused: the PIN never appears in
 * a URI. {@link #describe()} shows the path part only.
 */
public final class Pkcs11Uri {
    private static final Set<String> PATH_ATTRS = Set.of("token", "manufacturer", "serial", "model", "object", "type", "id",
            "slot-id", "slot-description", "slot-manufacturer", "library-manufacturer", "library-description", "library-version");
    private static final Set<String> QUERY_ATTRS = Set.of("module-path", "module-name", "pin-source", "pin-value");

    private final Map<String, String> path;
    private final Map<String, String> query;

    private Pkcs11Uri(Map<String, String> path, Map<String, String> query) {
        this.path = path;
        this.query = query;
    }

    /**
     * @throws ConfigurationException naming what is missing or wrong, never echoing a PIN
     */
    public static Pkcs11Uri parse(String keyName, String uri) {
        if (!uri.startsWith("pkcs11:")) {
            throw new ConfigurationException("master key '" + keyName + "': a PKCS#11 key URI starts with pkcs11:");
        }
        String rest = uri.substring("pkcs11:".length());
        int q = rest.indexOf('?');
        Map<String, String> path = attrs(keyName, q < 0 ? rest : rest.substring(0, q), ';', PATH_ATTRS);
        Map<String, String> query = attrs(keyName, q < 0 ? "" : rest.substring(q + 1), '&', QUERY_ATTRS);
        Pkcs11Uri u = new Pkcs11Uri(path, query);
        if (query.containsKey("pin-value")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): the PIN must not be written in the key URI "
                    + "(pin-value); give it with pin-source=file:PATH or pin-source=env:NAME");
        }
        if (!path.containsKey("object")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): name the key with object=LABEL");
        }
        if (path.containsKey("type") && !path.get("type").equals("secret-key")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): type=" + path.get("type")
                    + " cannot be a root; the root is an AES key (type=secret-key)");
        }
        if (!query.containsKey("module-path")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): give the PKCS#11 module with "
                    + "module-path=/path/to/module.so (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)");
        }
        if (!query.containsKey("pin-source")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): give the token's PIN with "
                    + "pin-source=file:PATH or pin-source=env:NAME");
        }
        if (!path.containsKey("token") && !path.containsKey("slot-id") && !path.containsKey("serial")) {
            throw new ConfigurationException("master key '" + keyName + "' (" + u.describe() + "): name the token with token=LABEL "
                    + "(or serial=… or slot-id=…)");
        }
        return u;
    }

    private static Map<String, String> attrs(String keyName, String text, char sep, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String part : text.split(String.valueOf(sep), -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (eq < 0 || !allowed.contains(name)) {
                throw new ConfigurationException("master key '" + keyName + "': the PKCS#11 URI has an attribute it cannot use: '"
                        + (allowed.contains(name) || name.length() > 40 ? name : name.replaceAll("[^a-z-]", "?")) + "'");
            }
            if (out.put(name, decode(keyName, part.substring(eq + 1))) != null) {
                throw new ConfigurationException("master key '" + keyName + "': the PKCS#11 URI gives " + name + " twice");
            }
        }
        return out;
    }

    private static String decode(String keyName, String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new ConfigurationException("master key '" + keyName + "': bad %-escape in the PKCS#11 URI");
                }
                try {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new ConfigurationException("master key '" + keyName + "': bad %-escape in the PKCS#11 URI");
                }
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(bytes, 0, bytes.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    public String token() {
        return path.get("token");
    }

    public String serial() {
        return path.get("serial");
    }

    public String manufacturer() {
        return path.get("manufacturer");
    }

    public String model() {
        return path.get("model");
    }

    /** The slot ID, or {@code null}. */
    public Long slotId() {
        String s = path.get("slot-id");
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("PKCS#11 URI " + describe() + ": slot-id must be a number");
        }
    }

    public String object() {
        return path.get("object");
    }

    public String modulePath() {
        return query.get("module-path");
    }

    public String pinSource() {
        return query.get("pin-source");
    }

    /** The URI's path part ({@code pkcs11:token=…;object=…}): what the key is, without module or PIN source. */
    public String describe() {
        StringBuilder b = new StringBuilder("pkcs11:");
        path.forEach((k, v) -> b.append(b.length() > 7 ? ";" : "").append(k).append('=').append(v));
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
