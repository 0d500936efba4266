package dev.secrets.internal.pkcs11;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.spi.KeyRoot;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A root that is an AES-256 key inside a PKCS#11 token, used through the JDK's SunPKCS11
 * provider. The key never leaves the token: wrapping is AES-GCM done by the token (96-bit random
 * nonce, 128-bit tag, the wrapping context as associated data). AES-GCM rather than AES key wrap
 * with padding (KWP) because SunPKCS11 in Java 17 offers GCM but not KWP, and GCM binds the
 * context; SoftHSM2 and common HSMs implement {@code CKM_AES_GCM}. Stored form: nonce ‖ ciphertext ‖ tag.
 */
public final class Pkcs11Root implements KeyRoot {
    private static final int NONCE = 12;

    private final String keyName;
    private final Pkcs11Session session;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private Pkcs11Root(String keyName, Pkcs11Session session, SecretKey key) {
        this.keyName = keyName;
        this.session = session;
        this.key = key;
    }

    /**
     * Logs in to the token and finds the key.
     *
     * @throws ConfigurationException for a missing module, token or key, a wrong PIN, or a key that
     *         is not an AES-256 secret key
     */
    public static Pkcs11Root open(String keyName, String uriText, Function<String, String> env) {
        Pkcs11Uri uri = Pkcs11Uri.parse(keyName, uriText);
        Pkcs11Session s = Pkcs11Session.open(keyName, uri, env);
        String where = "master key '" + keyName + "' (" + uri.describe() + ")";
        Key k;
        try {
            k = s.keyStore.getKey(uri.object(), null);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new ConfigurationException(where + ": the key cannot be read from the token: " + Pkcs11Session.rootMessage(e), e);
        }
        if (k == null) {
            List<Pkcs11Native.KeyAttributes> objects = s.objectTypes(uri.object());
            if (objects != null && !objects.isEmpty()) {
                Pkcs11Native.KeyAttributes o = objects.get(0);
                throw new ConfigurationException(where + ": '" + uri.object() + "' is " + className(o.keyType()) + " (key type "
                        + keyType(o.valueLength()) + "), not an AES key; a root must be an AES-256 secret key");
            }
            throw new ConfigurationException(where + ": the token has no key labelled '" + uri.object()
                    + "'; create one with: secrets keys generate --pkcs11 '" + uri.describe() + "?module-path=…&pin-source=…'");
        }
        if (!(k instanceof SecretKey) || !"AES".equalsIgnoreCase(k.getAlgorithm())) {
            throw new ConfigurationException(where + ": '" + uri.object() + "' is " + describeType(k)
                    + ", not an AES key; a root must be an AES-256 secret key");
        }
        List<Pkcs11Native.KeyAttributes> attrs = s.secretKeyAttributes(uri.object());
        if (attrs != null && !attrs.isEmpty()) {
            if (attrs.size() > 1) {
                throw new ConfigurationException(where + ": " + attrs.size() + " keys are labelled '" + uri.object() + "'; labels must be unique");
            }
            if (attrs.get(0).valueLength() != 32) {
                throw new ConfigurationException(where + ": '" + uri.object() + "' is an AES-" + attrs.get(0).valueLength() * 8
                        + " key; a root must be AES-256");
            }
        }
        return new Pkcs11Root(keyName, s, (SecretKey) k);
    }

    private static String className(long cls) {
        return switch ((int) cls) {
            case 0 -> "a data object";
            case 1 -> "a certificate";
            case 2 -> "a public key";
            case 3 -> "a private key";
            case 4 -> "a secret key";
            default -> "an object of class " + cls;
        };
    }

    private static String keyType(long type) {
        return switch ((int) type) {
            case 0 -> "RSA";
            case 3 -> "EC";
            case 0x10 -> "GENERIC_SECRET";
            case 0x15 -> "DES3";
            case 0x1f -> "AES";
            default -> "0x" + Long.toHexString(type);
        };
    }

    private static String describeType(Key k) {
        String alg = k.getAlgorithm();
        return (k instanceof SecretKey ? "a secret key of type " : "a " + (k instanceof java.security.PrivateKey ? "private" : "public")
                + " key of type ") + ("Generic".equalsIgnoreCase(alg) ? "GENERIC_SECRET" : alg);
    }

    @Override
    public String scheme() {
        return "pkcs11";
    }

    @Override
    public String describe() {
        return session.uri.describe();
    }

    @Override
    public NewKey generate(Map<String, String> context) {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", session.provider);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(RootKey.contextBytes(context));
            byte[] ct = c.doFinal(fresh);
            byte[] wrapped = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, wrapped, NONCE, ct.length);
            return new NewKey(fresh, wrapped);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new SecretsException("master key '" + keyName + "' (" + describe() + "): the token could not wrap a key: "
                    + Pkcs11Session.rootMessage(e), e);
        } finally {
            Arrays.fill(fresh, (byte) 0);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        if (wrapped.length <= NONCE + 16) {
            throw new WrongMasterKeyException("the wrapped key is too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", session.provider);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, NONCE));
            c.updateAAD(RootKey.contextBytes(context));
            return c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new WrongMasterKeyException("the token's key '" + session.uri.object() + "' did not wrap it");
        } catch (GeneralSecurityException | ProviderException e) {
            if (Pkcs11Session.causedBy(e, AEADBadTagException.class)) {
                throw new WrongMasterKeyException("the token's key '" + session.uri.object() + "' did not wrap it");
            }
            throw new SecretsException("master key '" + keyName + "' (" + describe() + "): the token could not unwrap the keyring key: "
                    + Pkcs11Session.rootMessage(e), e);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Root[" + describe() + "]";
    }
}
