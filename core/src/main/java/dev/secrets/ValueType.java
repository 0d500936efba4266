package dev.secrets;

/** The shape of a secret value. */
public enum ValueType {
    /** A one-level JSON object of scalar fields (strings, numbers, booleans, nulls). */
    KEY_VALUE,
    /** Any string, including JSON of any depth. */
    TEXT,
    /** Arbitrary bytes. */
    BINARY
}
