package dev.secrets.spring;

import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataException;

/**
 * A secret named in {@code spring.config.import=secrets:…} could not be imported, so the
 * application does not start. {@link SecretImportFailureAnalyzer} turns it into a message that says
 * what to do. The message names the secret and the store, never a value; the cause is kept.
 */
public class SecretImportException extends ConfigDataException {
    private static final long serialVersionUID = 1L;

    /** Why the import failed. */
    public enum Reason {
        /** The store has no such secret, it has no value, or its deletion is scheduled. */
        NOT_FOUND,
        /** No store (or no key) is configured. */
        NOT_CONFIGURED,
        /** Anything else: store unreachable, wrong or missing master key, tampered record… */
        FAILED,
        /** Two secrets of an import by prefix would give the same property name. */
        COLLISION,
        /**
         * The secret would set names that only the application's own configuration may set
         * ({@code spring.*}, {@code management.*}, {@code logging.*}, {@code secrets.*}, {@code debug}, {@code trace});
         * the cause is a {@link ReservedPropertyNameException}.
         */
        RESERVED_NAMES
    }

    private final String secretId;
    private final String store;
    private final Reason reason;

    /**
     * @param secretId the secret that was imported
     * @param store    where it was looked for (a store URI without credentials), or null when unknown
     * @param reason   why it failed
     * @param cause    the library's exception
     */
    public SecretImportException(String secretId, String store, Reason reason, Throwable cause) {
        super("Could not import secret '" + secretId + "'" + (store == null ? "" : " from " + store) + ": "
                + (cause == null ? reason.name().toLowerCase(java.util.Locale.ROOT) : cause.getMessage()), cause);
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.store = store;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The secret that was imported. */
    public String secretId() {
        return secretId;
    }

    /** Where it was looked for, or null when no store is configured. */
    public String store() {
        return store;
    }

    public Reason reason() {
        return reason;
    }
}
