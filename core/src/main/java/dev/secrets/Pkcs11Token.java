package dev.secrets;

import dev.secrets.internal.pkcs11.Pkcs11Keys;
import dev.secrets.spi.KeyRoot;
import java.util.Objects;
import java.util.function.Function;

/**
 * Keys made inside a PKCS#11 token (an HSM, SoftHSM2, a cloud HSM's PKCS#11 library), for use as a
 * master key root with a {@code pkcs11:} key URI — what {@code secrets keys generate --pkcs11 URI} does.
 * Thread-safe; stateless.
 */
public final class Pkcs11Token {
    private Pkcs11Token() {
    }

    /** As {@link #generateKey(String, Function)}, with the PIN source read from the process environment. */
    public static String generateKey(String uri) {
        return generateKey(uri, System::getenv);
    }

    /**
     * Generates an AES-256 key inside the token that {@code uri} names
     * ({@code pkcs11:token=T;object=O?module-path=…&pin-source=…}), as a private, sensitive and
     * non-extractable token object labelled {@code O} (its value can never leave the token), and checks
     * that it opens as a root. The URI can then be given as a master key ({@code secrets.key},
     * {@link SecretsClient.Builder#masterKey(String, String)}) or as the target of
     * {@link SecretsClient#rekey(String, String)}.
     *
     * @param environment where a {@code pin-source=env:NAME} is read
     * @return what the new key is, without module path or PIN source: {@code pkcs11:token=T;object=O}
     * @throws ConfigurationException when the URI is bad, the token cannot be opened (wrong PIN, no such
     *     token or module), the token cannot generate the key, or it already has an object with that
     *     label; nothing is created then
     */
    public static String generateKey(String uri, Function<String, String> environment) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(environment, "environment");
        try (KeyRoot root = Pkcs11Keys.generate("default", uri, environment)) {
            return root.describe();
        }
    }
}
