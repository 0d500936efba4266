package dev.secrets;

/**
 * This client holds no root for the master key a secret is encrypted under. Metadata can still be listed and described; the value cannot be read.
 */
public class MissingMasterKeyException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public MissingMasterKeyException(String message) {
        super(message);
    }

    public MissingMasterKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
