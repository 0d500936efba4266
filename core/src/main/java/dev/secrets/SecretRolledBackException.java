package dev.secrets;

/**
 * A read found an older state of a secret or keyring than this client has already verified: whoever
 * can write to the store deleted the newer generations (an old {@code CURRENT}, old rotation state, a
 * resurrected deleted secret, an older keyring). The read fails; nothing older is returned.
 */
public class SecretRolledBackException extends SecretTamperedException {
    private static final long serialVersionUID = 1L;

    public SecretRolledBackException(String message) {
        super(message);
    }
}
