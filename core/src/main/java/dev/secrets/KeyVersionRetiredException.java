package dev.secrets;

/**
 * A value is encrypted under a master-key version that was retired ({@code secrets keys retire}):
 * that version's material was destroyed, so the value cannot be decrypted any more. The message
 * names the secret, the version and the key version.
 */
public class KeyVersionRetiredException extends SecretsException {
    private static final long serialVersionUID = 1L;

    public KeyVersionRetiredException(String message) {
        super(message);
    }
}
