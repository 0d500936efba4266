package dev.secrets.internal.access;

import dev.secrets.SecretValue;
import dev.secrets.ValueType;
import java.lang.invoke.MethodHandles;

/**
 * The encryption path's door into {@link SecretValue}'s stored form, without a copy: the bytes a
 * value is sealed from, and a value rebuilt from decrypted bytes. {@code SecretValue} keeps both
 * package-private and installs them here when it is initialized, so no other module can reach them
 * through the public API. Not API: {@code internal} packages may change in any release.
 */
public final class StoredValues {
    /** What {@link SecretValue} gives this library; implemented by a class nested in it. */
    public interface Access {
        /** The stored form itself, shared with the value: never hand it out, never change it. */
        byte[] stored(SecretValue value);

        /** A value over {@code stored} (not copied), as decrypted. */
        SecretValue fromStored(ValueType type, byte[] stored);
    }

    private static volatile Access access;

    private StoredValues() {
    }

    /**
     * Called once, from {@link SecretValue}'s static initializer.
     *
     * @throws IllegalStateException when called twice or by anything but {@code SecretValue}
     */
    public static void install(Access a) {
        if (a.getClass().getNestHost() != SecretValue.class || access != null) {
            throw new IllegalStateException("only SecretValue installs its access, once");
        }
        access = a;
    }

    /** The stored form of {@code value} without a copy; for sealing and parsing only. */
    public static byte[] bytes(SecretValue value) {
        return access().stored(value);
    }

    /** A value over decrypted bytes (kept, not copied). */
    public static SecretValue fromStored(ValueType type, byte[] stored) {
        return access().fromStored(type, stored);
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                MethodHandles.lookup().ensureInitialized(SecretValue.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
