package dev.secrets.internal;

import dev.secrets.SecretTamperedException;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.repository.KeyBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which master key a reader accepts a secret's record under. Whoever can write to the store and
 * holds any key the reader also holds ({@code default}) could otherwise replace
 * {@code payments/stripe} with a record of their own under that key. Two rules:
 * <ul>
 *   <li><b>binding</b>: {@code secrets.keys.NAME.prefixes=payments/,billing/} binds IDs starting with
 *       those prefixes to master key NAME (the longest matching prefix wins); a record under another
 *       key is refused;</li>
 *   <li><b>last verified</b>: a record under another key than the last record this client verified
 *       for that secret is refused, unless this client moved the secret itself
 *       ({@link #moved}). A move by another process is seen as an attack until this client restarts:
 *       bind the prefix to make such moves explicit.</li>
 * </ul>
 * Thread-safe.
 */
public final class KeyPins implements KeyBinding {
    /** Suffix of {@code secrets.keys.NAME.prefixes}. */
    public static final String PREFIXES_SUFFIX = ".prefixes";

    private final Map<String, String> bindings;
    private final Map<String, String> lastVerified = new ConcurrentHashMap<>();

    private KeyPins(Map<String, String> bindings) {
        this.bindings = Map.copyOf(bindings);
    }

    /** The bindings of {@code config} ({@code null}: none). */
    public static KeyPins from(SecretsConfig config) {
        Map<String, String> b = new ConcurrentHashMap<>();
        if (config != null) {
            config.withPrefix(SecretsConfig.KEYS_PREFIX).forEach((k, v) -> {
                if (k.endsWith(PREFIXES_SUFFIX)) {
                    String name = k.substring(SecretsConfig.KEYS_PREFIX.length(), k.length() - PREFIXES_SUFFIX.length());
                    Validation.keyName(name);
                    for (String p : v.split(",")) {
                        String prefix = p.trim();
                        if (!prefix.isEmpty()) {
                            String before = b.putIfAbsent(prefix, name);
                            if (before != null && !before.equals(name)) {
                                throw new dev.secrets.ConfigurationException("prefix '" + prefix + "' is bound to master keys '" + before
                                        + "' and '" + name + "' (" + k + "); bind it to one");
                            }
                        }
                    }
                }
            });
        }
        return new KeyPins(b);
    }

    /** Whether {@code configKey} ({@code secrets.keys.…}) is a binding rather than a key URI. */
    public static boolean isBinding(String configKey) {
        return configKey.endsWith(PREFIXES_SUFFIX);
    }

    /** The key {@code id} is bound to, or null. */
    public String boundKey(String id) {
        String best = null;
        String key = null;
        for (Map.Entry<String, String> e : bindings.entrySet()) {
            if (id.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.length())) {
                best = e.getKey();
                key = e.getValue();
            }
        }
        return key;
    }

    /**
     * Checks the key that a record of {@code id} names before anything is verified under it.
     *
     * @throws SecretTamperedException naming the secret and both keys
     */
    @Override
    public void check(String id, String recordKey) {
        String bound = boundKey(id);
        if (bound != null && !bound.equals(recordKey)) {
            throw new SecretTamperedException("secret '" + id + "' is stored under master key '" + recordKey + "', but this client binds it"
                    + " to master key '" + bound + "' (" + SecretsConfig.KEYS_PREFIX + bound + PREFIXES_SUFFIX + "); the record is refused");
        }
        String last = lastVerified.get(id);
        if (last != null && !last.equals(recordKey)) {
            throw new SecretTamperedException("secret '" + id + "' is now stored under master key '" + recordKey + "', but this client last"
                    + " verified it under master key '" + last + "'; the record is refused (a secret moved to another key by another"
                    + " process is read again after a restart; bind its prefix with " + SecretsConfig.KEYS_PREFIX + "NAME"
                    + PREFIXES_SUFFIX + ")");
        }
    }

    /** Records that a record of {@code id} under {@code key} was verified. */
    @Override
    public void verified(String id, String key) {
        lastVerified.put(id, key);
    }

    /** This client moved {@code id} to {@code key}. */
    @Override
    public void moved(String id, String key) {
        lastVerified.put(id, key);
    }

    /** For messages: the bound prefixes. */
    List<String> prefixes() {
        return new ArrayList<>(bindings.keySet());
    }
}
