package dev.secrets;

/**
 * A write lost to concurrent writers more times than the retry budget allows, or its outcome could not be confirmed. Nothing partial was written; retrying is safe (with an idempotency token it is exactly-once).
 */
public class ConflictException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
