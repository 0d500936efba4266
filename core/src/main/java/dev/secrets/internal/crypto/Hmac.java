package dev.secrets.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, one {@link Mac} per thread. */
public final class Hmac {
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    });

    private Hmac() {
    }

    public static byte[] mac(byte[] key, byte[]... parts) {
        Mac m = MAC.get();
        try {
            m.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    /** A 32-byte subkey of {@code key} for {@code purpose}. */
    public static byte[] derive(byte[] key, String purpose) {
        return mac(key, purpose.getBytes(StandardCharsets.UTF_8));
    }
}
