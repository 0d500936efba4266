package dev.secrets;

/**
 * The configured root of a master key is not the one the store's keyring was created with.
 */
public class WrongMasterKeyException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public WrongMasterKeyException(String message) {
        super(message);
    }

    public WrongMasterKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
