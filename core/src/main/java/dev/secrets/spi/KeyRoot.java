package dev.secrets.spi;

import java.util.Arrays;
import java.util.Map;

/**
 * The root of one master key: it wraps and unwraps the 32-byte key that encrypts the master key's
 * keyring, under a key it may never reveal (a key inside an HSM or a KMS). The keyring — every
 * version of the master key — is decrypted once per process and kept in memory, so a root is asked
 * once per keyring load, never per read.
 *
 * <p>{@code context} names what the wrapped key belongs to ({@code secrets:store} → the store's ID,
 * {@code secrets:key} → the master key's name). An implementation must bind the wrapped key to it
 * (as AES-GCM associated data, a KMS encryption context) so that a wrapped key copied to another
 * store or key fails to unwrap.
 *
 * <p>Implementations are thread-safe. {@link #toString()} and every message show at most the
 * scheme and a location, never a PIN, a passphrase or key material.
 */
public interface KeyRoot extends AutoCloseable {

    /** The URI scheme of this root: {@code pkcs11}, {@code aws-kms}, {@code file}… */
    String scheme();

    /** The key URI without anything secret (no PIN, no PIN source), for messages. */
    String describe();

    /**
     * A fresh 32-byte key and its wrapped form (wrapped under this root, bound to {@code context}).
     *
     * @throws dev.secrets.SecretsException with one clear line when the root cannot be used
     */
    NewKey generate(Map<String, String> context);

    /**
     * The 32-byte key {@code wrapped} was made from by {@link #generate}.
     *
     * @throws dev.secrets.WrongMasterKeyException when {@code wrapped} was not wrapped by this root
     *         for this {@code context}
     * @throws dev.secrets.SecretsException with one clear line for any other failure (the root is
     *         disabled, access is denied, the service cannot be reached)
     */
    byte[] unwrap(byte[] wrapped, Map<String, String> context);

    /** Releases sessions or clients this root holds. */
    @Override
    default void close() {
    }

    /**
     * A key and its wrapped form. {@link #toString()} shows neither.
     *
     * @param key the 32-byte key, to be used and then overwritten by the caller
     * @param wrapped the key as this root wrapped it, to be stored
     */
    record NewKey(byte[] key, byte[] wrapped) {
        public NewKey {
            key = key.clone();
            wrapped = wrapped.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] wrapped() {
            return wrapped.clone();
        }

        /** Overwrites the key held here. */
        public void destroy() {
            Arrays.fill(key, (byte) 0);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "NewKey[" + wrapped.length + " bytes wrapped]";
        }
    }
}
