package dev.secrets;

/**
 * Root of every exception thrown by this library. Unchecked: callers handle the few subclasses
 * that carry a decision (not found, scheduled for deletion, tampered, wrong or missing key,
 * conflict, invalid input, store unavailable) and let the rest propagate.
 *
 * <p>Messages never contain a secret value, a data key or a master key; they name the secret,
 * the field or the setting concerned. The cause is always kept.
 */
public class SecretsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretsException(String message) {
        super(message);
    }

    public SecretsException(String message, Throwable cause) {
        super(message, cause);
    }
}
