package dev.secrets.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with the JDK's provider (AES-NI backed): 96-bit random nonces, 128-bit tags.
 * One {@link Cipher} per thread is reused; it is re-initialised with a fresh nonce on every call,
 * never with a nonce used before.
 */
public final class Aead {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;
    public static final int KEY_BYTES = 32;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM/NoPadding", e);
        }
    });

    private Aead() {
    }

    public static byte[] nonce(SecureRandom random) {
        byte[] n = new byte[NONCE_BYTES];
        random.nextBytes(n);
        return n;
    }

    /** Ciphertext with the tag appended. */
    public static byte[] encrypt(SecretKey key, byte[] nonce, byte[] plaintext, byte[] aad) {
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * The plaintext.
     *
     * @throws DecryptionFailedException when the key is wrong or anything authenticated was altered
     */
    public static byte[] decrypt(SecretKey key, byte[] nonce, byte[] ciphertext, byte[] aad) {
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new DecryptionFailedException();
        }
    }

    /** Decryption failed; deliberately says nothing more. */
    public static final class DecryptionFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DecryptionFailedException() {
            super("decryption failed");
        }
    }
}
