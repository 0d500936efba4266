package dev.secrets.internal.pkcs11;

import dev.secrets.ConfigurationException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * What SunPKCS11's public API cannot do: list the slots of a module with their tokens' labels (to
 * find a token by {@code token=LABEL}) and read a key object's attributes (type, length,
 * sensitive, extractable). Done through the JDK's own PKCS#11 wrapper
 * ({@code sun.security.pkcs11.wrapper}), which the JVM must export to us:
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} (the
 * {@code secrets} CLI jar declares it in its manifest). Without it a token can still be named by
 * {@code slot-id=}, and the key's length is not checked.
 */
final class Pkcs11Native {
    static final long CKF_OS_LOCKING_OK = 0x2L;
    static final long CKF_SERIAL_SESSION = 0x4L;
    static final long CKA_CLASS = 0x0L;
    static final long CKA_LABEL = 0x3L;
    static final long CKA_KEY_TYPE = 0x100L;
    static final long CKA_SENSITIVE = 0x103L;
    static final long CKA_VALUE_LEN = 0x161L;
    static final long CKA_EXTRACTABLE = 0x162L;
    static final long CKO_SECRET_KEY = 0x4L;
    static final long CKK_AES = 0x1fL;

    /** A token in a slot. */
    record Token(long slot, String label, String manufacturer, String model, String serial) {
    }

    /** The attributes of a secret-key object that matter to a root. */
    record KeyAttributes(long keyType, long valueLength, boolean sensitive, boolean extractable) {
    }

    private final Object p11;
    private final Class<?> wrapper;
    private final Class<?> attribute;

    private Pkcs11Native(Object p11, Class<?> wrapper, Class<?> attribute) {
        this.p11 = p11;
        this.wrapper = wrapper;
        this.attribute = attribute;
    }

    /** Whether the JVM lets us use the wrapper. */
    static boolean available() {
        try {
            Class<?> w = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
            return w.getModule().isExported("sun.security.pkcs11.wrapper", Pkcs11Native.class.getModule());
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The module at {@code modulePath}, initialised (once per process, shared with SunPKCS11) for multi-threaded use. */
    static Pkcs11Native load(String modulePath) {
        try {
            Class<?> w = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
            Class<?> initArgs = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
            Object args = initArgs.getConstructor().newInstance();
            initArgs.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
            Method getInstance = w.getMethod("getInstance", String.class, String.class, initArgs, boolean.class);
            Object p11 = getInstance.invoke(null, modulePath, "C_GetFunctionList", args, false);
            return new Pkcs11Native(p11, w, Class.forName("sun.security.pkcs11.wrapper.CK_ATTRIBUTE"));
        } catch (InvocationTargetException e) {
            throw new ConfigurationException("PKCS#11 module " + modulePath + " could not be loaded: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ConfigurationException("cannot list PKCS#11 tokens in this JVM; start it with --add-exports "
                    + "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED, or name the token with slot-id=N", e);
        }
    }

    /** The tokens present in the module's slots. */
    List<Token> tokens() {
        try {
            long[] slots = (long[]) wrapper.getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
            List<Token> out = new ArrayList<>();
            for (long s : slots) {
                Object info = wrapper.getMethod("C_GetTokenInfo", long.class).invoke(p11, s);
                out.add(new Token(s, text(info, "label"), text(info, "manufacturerID"), text(info, "model"), text(info, "serialNumber")));
            }
            return out;
        } catch (InvocationTargetException e) {
            throw new ConfigurationException("could not list the PKCS#11 module's tokens: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The attributes of the secret-key objects labelled {@code label} in {@code slot}'s token (the
     * user must be logged in for private objects to be seen: SunPKCS11's login is process-wide).
     */
    List<KeyAttributes> secretKeys(long slot, String label) {
        return find(slot, label, true);
    }

    /** Class ({@code keyType} field) and key type ({@code valueLength} field) of every object labelled {@code label}. */
    List<KeyAttributes> anyObjects(long slot, String label) {
        return find(slot, label, false);
    }

    private List<KeyAttributes> find(long slot, String label, boolean secretKeys) {
        try {
            long session = (long) wrapper.getMethod("C_OpenSession", long.class, long.class, Object.class,
                    Class.forName("sun.security.pkcs11.wrapper.CK_NOTIFY")).invoke(p11, slot, CKF_SERIAL_SESSION, null, null);
            try {
                Object template = java.lang.reflect.Array.newInstance(attribute, secretKeys ? 2 : 1);
                Constructor<?> longAttr = attribute.getConstructor(long.class, long.class);
                Constructor<?> objAttr = attribute.getConstructor(long.class, Object.class);
                java.lang.reflect.Array.set(template, 0, objAttr.newInstance(CKA_LABEL, label.toCharArray()));
                if (secretKeys) {
                    java.lang.reflect.Array.set(template, 1, longAttr.newInstance(CKA_CLASS, CKO_SECRET_KEY));
                }
                wrapper.getMethod("C_FindObjectsInit", long.class, template.getClass()).invoke(p11, session, template);
                long[] handles = (long[]) wrapper.getMethod("C_FindObjects", long.class, long.class).invoke(p11, session, 16L);
                wrapper.getMethod("C_FindObjectsFinal", long.class).invoke(p11, session);
                List<KeyAttributes> out = new ArrayList<>();
                Constructor<?> typeOnly = attribute.getConstructor(long.class);
                for (long h : handles) {
                    if (!secretKeys) {
                        Object attrs = java.lang.reflect.Array.newInstance(attribute, 2);
                        java.lang.reflect.Array.set(attrs, 0, typeOnly.newInstance(CKA_CLASS));
                        java.lang.reflect.Array.set(attrs, 1, typeOnly.newInstance(CKA_KEY_TYPE));
                        wrapper.getMethod("C_GetAttributeValue", long.class, long.class, attrs.getClass()).invoke(p11, session, h, attrs);
                        out.add(new KeyAttributes(longOf(attrs, 0), longOf(attrs, 1), false, false));
                        continue;
                    }
                    Object attrs = java.lang.reflect.Array.newInstance(attribute, 4);
                    long[] types = {CKA_KEY_TYPE, CKA_VALUE_LEN, CKA_SENSITIVE, CKA_EXTRACTABLE};
                    for (int i = 0; i < types.length; i++) {
                        java.lang.reflect.Array.set(attrs, i, typeOnly.newInstance(types[i]));
                    }
                    wrapper.getMethod("C_GetAttributeValue", long.class, long.class, attrs.getClass()).invoke(p11, session, h, attrs);
                    out.add(new KeyAttributes(longOf(attrs, 0), longOf(attrs, 1), boolOf(attrs, 2), boolOf(attrs, 3)));
                }
                return out;
            } finally {
                wrapper.getMethod("C_CloseSession", long.class).invoke(p11, session);
            }
        } catch (InvocationTargetException e) {
            throw new ConfigurationException("could not read the PKCS#11 key's attributes: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private long longOf(Object attrs, int i) throws ReflectiveOperationException {
        return (long) attribute.getMethod("getLong").invoke(java.lang.reflect.Array.get(attrs, i));
    }

    private boolean boolOf(Object attrs, int i) throws ReflectiveOperationException {
        return (boolean) attribute.getMethod("getBoolean").invoke(java.lang.reflect.Array.get(attrs, i));
    }

    private static String text(Object info, String field) throws ReflectiveOperationException {
        return new String((char[]) info.getClass().getField(field).get(info)).trim();
    }
}
