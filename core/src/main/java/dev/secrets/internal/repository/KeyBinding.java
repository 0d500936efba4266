package dev.secrets.internal.repository;

/**
 * Which master key a secret ID may be under ({@code secrets.keys.NAME.prefixes}), checked by the
 * repository while it verifies a record: a record under another key is refused before anything is
 * verified under it. Implemented by {@code internal.KeyPins}. Thread-safe.
 */
public interface KeyBinding {
    /** Throws when secret {@code id} may not be under {@code recordKey}. */
    void check(String id, String recordKey);

    /** Secret {@code id} was verified under {@code key}. */
    void verified(String id, String key);

    /** Secret {@code id} was moved to {@code key}. */
    void moved(String id, String key);
}
