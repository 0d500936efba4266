package dev.secrets;

/**
 * Input was refused before anything was written: an invalid ID, label, tag, value that does not fit its kind, oversized value, or a request that contradicts the stored state. The message names the field, never its value.
 */
public class InvalidSecretException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public InvalidSecretException(String message) {
        super(message);
    }

    public InvalidSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
