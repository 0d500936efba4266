package dev.secrets;

/**
 * The asked-for version's value was destroyed ({@link SecretsClient#destroySecretVersion}): the version
 * is still listed, but its ciphertext is gone from the store and it can never be read again.
 */
public class VersionDestroyedException extends SecretNotFoundException {
    private static final long serialVersionUID = 1L;

    public VersionDestroyedException(String message) {
        super(message);
    }
}
