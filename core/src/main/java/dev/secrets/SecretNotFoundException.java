package dev.secrets;

/**
 * The secret (or the asked-for version or label) does not exist, or was purged.
 */
public class SecretNotFoundException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public SecretNotFoundException(String message) {
        super(message);
    }

    public SecretNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
