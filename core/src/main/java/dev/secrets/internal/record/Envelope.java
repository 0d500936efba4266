package dev.secrets.internal.record;

import dev.secrets.KeyVersionRetiredException;
import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import dev.secrets.internal.access.StoredValues;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of one version: a fresh 256-bit data key encrypts the value (AES-256-GCM,
 * random 96-bit nonce); the master key's wrap key encrypts the data key. Associated data binds
 * both ciphertexts to the store, the secret ID and the version ID (and the value's type), so a
 * ciphertext moved anywhere else fails authentication. Stateless; thread-safe.
 */
public final class Envelope {
    private Envelope() {
    }

    public static void seal(VersionEntry v, String storeId, String secretId, Keyring.Version key, SecretValue value,
                            SecureRandom random) {
        byte[] dataKey = new byte[Aead.KEY_BYTES];
        random.nextBytes(dataKey);
        try {
            byte[] nonce = Aead.nonce(random);
            v.type = value.type();
            v.nonce = nonce;
            v.ciphertext = Aead.encrypt(new SecretKeySpec(dataKey, "AES"), nonce, StoredValues.bytes(value),
                    valueAad(storeId, secretId, v.id, v.type));
            v.keyVersion = key.number();
            v.wrappedKey = wrap(key, storeId, secretId, v.id, dataKey, random);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts a version.
     *
     * @throws Aead.DecryptionFailedException when anything authenticated does not match
     */
    public static SecretValue open(VersionEntry v, String storeId, String secretId, Keyring.Version key) {
        requireActive(key, secretId, v.id);
        byte[] dataKey = unwrap(key, storeId, secretId, v.id, v.wrappedKey);
        try {
            byte[] plain = Aead.decrypt(new SecretKeySpec(dataKey, "AES"), v.nonce, v.ciphertext,
                    valueAad(storeId, secretId, v.id, v.type));
            return StoredValues.fromStored(v.type, plain);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Re-wraps the data key of {@code v} under {@code to}, leaving the value's ciphertext untouched. */
    public static void rewrap(VersionEntry v, String storeId, String secretId, Keyring.Version from, Keyring.Version to,
                              SecureRandom random) {
        requireActive(from, secretId, v.id);
        byte[] dataKey = unwrap(from, storeId, secretId, v.id, v.wrappedKey);
        try {
            v.wrappedKey = wrap(to, storeId, secretId, v.id, dataKey, random);
            v.keyVersion = to.number();
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static void requireActive(Keyring.Version key, String secretId, String versionId) {
        if (key.retired() != null) {
            throw new KeyVersionRetiredException("secret '" + secretId + "' version " + versionId + " is encrypted under master key version "
                    + key.number() + ", which was retired on " + key.retired() + ": this value can no longer be decrypted "
                    + "(write a new value; `secrets rewrap` before `secrets keys retire` avoids this)");
        }
    }

    private static byte[] wrap(Keyring.Version key, String storeId, String secretId, String versionId, byte[] dataKey,
                               SecureRandom random) {
        byte[] nonce = Aead.nonce(random);
        byte[] ct = Aead.encrypt(key.wrapKey(), nonce, dataKey, keyAad(storeId, secretId, versionId));
        byte[] out = Arrays.copyOf(nonce, nonce.length + ct.length);
        System.arraycopy(ct, 0, out, nonce.length, ct.length);
        return out;
    }

    private static byte[] unwrap(Keyring.Version key, String storeId, String secretId, String versionId, byte[] wrapped) {
        if (wrapped == null || wrapped.length != Aead.NONCE_BYTES + Aead.KEY_BYTES + Aead.TAG_BITS / 8) {
            throw new Aead.DecryptionFailedException();
        }
        return Aead.decrypt(key.wrapKey(), Arrays.copyOf(wrapped, Aead.NONCE_BYTES),
                Arrays.copyOfRange(wrapped, Aead.NONCE_BYTES, wrapped.length), keyAad(storeId, secretId, versionId));
    }

    static byte[] keyAad(String storeId, String secretId, String versionId) {
        return ("secrets/data-key/v1\0" + storeId + "\0" + secretId + "\0" + versionId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] valueAad(String storeId, String secretId, String versionId, ValueType type) {
        return ("secrets/value/v1\0" + storeId + "\0" + secretId + "\0" + versionId + "\0" + type.name())
                .getBytes(StandardCharsets.UTF_8);
    }
}
