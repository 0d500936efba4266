package dev.secrets;

/**
 * The stored bytes of a secret failed authentication: a value, its metadata or its labels were changed outside this library, or the record was moved from another secret or store. Nothing of the record is returned. Other secrets are unaffected.
 */
public class SecretTamperedException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public SecretTamperedException(String message) {
        super(message);
    }

    public SecretTamperedException(String message, Throwable cause) {
        super(message, cause);
    }
}
