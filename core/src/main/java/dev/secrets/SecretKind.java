package dev.secrets;

import java.util.Locale;

/**
 * The five kinds of secret. The four database kinds hold a JSON object with required
 * {@code username} and {@code password} and optional {@code engine}, {@code host}, {@code port},
 * {@code dbname} (AWS's field names; other scalar fields are kept too). {@link #GENERIC} holds
 * key/value pairs, text or bytes.
 */
public enum SecretKind {
    /** Credentials for an Amazon RDS database. */
    RDS("rds"),
    /** Credentials for an Amazon DocumentDB database. */
    DOCUMENTDB("documentdb"),
    /** Credentials for an Amazon Redshift data warehouse. */
    REDSHIFT("redshift"),
    /** Credentials for any other database. */
    DATABASE("database"),
    /** API keys, OAuth tokens, anything else: key/value, text or binary. */
    GENERIC("generic");

    private final String id;

    SecretKind(String id) {
        this.id = id;
    }

    /** The name used in configuration, the CLI and the stored record ({@code rds}, …, {@code generic}). */
    public String id() {
        return id;
    }

    /** True for the four kinds that hold database credentials. */
    public boolean isDatabase() {
        return this != GENERIC;
    }

    /**
     * Parses a kind by its {@linkplain #id() name}, case-insensitively.
     *
     * @throws InvalidSecretException for an unknown name
     */
    public static SecretKind of(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (SecretKind k : values()) {
                if (k.id.equals(n)) {
                    return k;
                }
            }
        }
        throw new InvalidSecretException("unknown secret kind '" + name + "'; use one of rds, documentdb, redshift, database, generic");
    }

    @Override
    public String toString() {
        return id;
    }
}
