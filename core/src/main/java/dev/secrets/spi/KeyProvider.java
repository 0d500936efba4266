package dev.secrets.spi;

import java.util.function.Function;

/**
 * Opens the root of a master key from a key URI. Found through {@link java.util.ServiceLoader} by
 * {@link #scheme()}, like {@link ObjectStoreProvider}: a new kind of root (an HSM, a cloud KMS) is
 * one jar with a {@code META-INF/services/dev.secrets.spi.KeyProvider} entry. Built in:
 * {@code env}, {@code file}, {@code passphrase-env} and {@code pkcs11}.
 */
public interface KeyProvider {

    /** The URI scheme this provider opens, lower case: {@code pkcs11}, {@code aws-kms}. */
    String scheme();

    /**
     * Opens the root named by {@code uri}. May check that the root exists and can be used (log in
     * to a token, find a key) but must not write anything.
     *
     * @param keyName the master key this root is for, to name in errors
     * @param uri the whole key URI, scheme included, as the user wrote it
     * @param environment where to read environment variables from (PINs, passphrases)
     * @throws dev.secrets.ConfigurationException when the URI is malformed or names something that
     *         does not exist, in one line that says what is wrong and never contains a PIN or key
     */
    KeyRoot open(String keyName, String uri, Function<String, String> environment);
}
