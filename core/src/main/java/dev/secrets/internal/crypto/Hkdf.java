package dev.secrets.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HKDF-SHA256 (RFC 5869) for one 32-byte output block: separate subkeys of one root for separate
 * purposes, so that no key is ever used both as an AES key and as an HMAC key.
 */
public final class Hkdf {
    private static final byte[] ZERO_SALT = new byte[32];

    private Hkdf() {
    }

    /** A 32-byte subkey of {@code ikm} for {@code info}; the intermediate key is zeroed. */
    public static byte[] derive(byte[] ikm, String info) {
        byte[] prk = Hmac.mac(ZERO_SALT, ikm);
        try {
            return Hmac.mac(prk, info.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }
}
