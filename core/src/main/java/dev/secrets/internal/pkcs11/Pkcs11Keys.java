package dev.secrets.internal.pkcs11;

import dev.secrets.ConfigurationException;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.ProviderException;
import java.util.List;
import java.util.function.Function;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/** Creates a root inside a token: {@code secrets keys generate --pkcs11 URI}. */
public final class Pkcs11Keys {
    private Pkcs11Keys() {
    }

    /**
     * Generates an AES-256 key inside the token, as a token object labelled with the URI's
     * {@code object}, private, sensitive and non-extractable (it can never leave the token), and
     * checks that it opens as a root.
     *
     * @throws ConfigurationException when a key with that label exists already, or the token cannot be used
     */
    public static Pkcs11Root generate(String keyName, String uriText, Function<String, String> env) {
        Pkcs11Uri uri = Pkcs11Uri.parse(keyName, uriText);
        String where = "PKCS#11 key " + uri.describe();
        Pkcs11Session s = Pkcs11Session.open(keyName, uri, env);
        try {
            if (s.keyStore.containsAlias(uri.object())) {
                throw new ConfigurationException(where + ": the token already has an object labelled '" + uri.object()
                        + "'; choose another object= label (nothing was created)");
            }
            List<Pkcs11Native.KeyAttributes> existing = s.secretKeyAttributes(uri.object());
            if (existing != null && !existing.isEmpty()) {
                throw new ConfigurationException(where + ": the token already has a key labelled '" + uri.object()
                        + "'; choose another object= label (nothing was created)");
            }
        } catch (KeyStoreException e) {
            throw new ConfigurationException(where + ": the token cannot be read: " + Pkcs11Session.rootMessage(e), e);
        }
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES", s.generatingProvider(where, uri.object()));
            g.init(256);
            SecretKey k = g.generateKey();
            if (k.getEncoded() != null) {
                throw new IllegalStateException("the token returned the new key's value; it must not be extractable");
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw new ConfigurationException(where + ": the token could not generate an AES-256 key: " + Pkcs11Session.rootMessage(e), e);
        }
        return Pkcs11Root.open(keyName, uriText, env);
    }
}
