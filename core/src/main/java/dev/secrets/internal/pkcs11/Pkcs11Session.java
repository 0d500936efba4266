package dev.secrets.internal.pkcs11;

import dev.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.security.auth.login.FailedLoginException;

/**
 * A logged-in SunPKCS11 provider for the token a {@link Pkcs11Uri} names. One provider per module
 * and slot per process (PKCS#11 logins are process-wide anyway). Every failure is one clear line:
 * missing module, missing token, wrong PIN.
 */
final class Pkcs11Session {
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    final Pkcs11Uri uri;
    final String modulePath;
    final long slot;
    final Provider provider;
    final KeyStore keyStore;
    private final Pkcs11Native nativeApi;

    private Pkcs11Session(Pkcs11Uri uri, long slot, Provider provider, KeyStore keyStore, Pkcs11Native nativeApi) {
        this.uri = uri;
        this.modulePath = uri.modulePath();
        this.slot = slot;
        this.provider = provider;
        this.keyStore = keyStore;
        this.nativeApi = nativeApi;
    }

    static Pkcs11Session open(String keyName, Pkcs11Uri uri, Function<String, String> env) {
        String where = "master key '" + keyName + "' (" + uri.describe() + ")";
        Path module = Path.of(uri.modulePath());
        if (!Files.isRegularFile(module)) {
            throw new ConfigurationException(where + ": PKCS#11 module " + module + " does not exist (module-path)");
        }
        Pkcs11Native nativeApi = Pkcs11Native.available() || uri.slotId() == null ? Pkcs11Native.load(uri.modulePath()) : null;
        long slot = nativeApi == null ? uri.slotId() : findSlot(where, uri, nativeApi);
        char[] pin = readPin(where, uri.pinSource(), env);
        try {
            Provider p = PROVIDERS.computeIfAbsent(uri.modulePath() + "#" + slot, k -> configure(where, uri.modulePath(), slot, null));
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            return new Pkcs11Session(uri, slot, p, ks, nativeApi);
        } catch (IOException e) {
            if (causedBy(e, FailedLoginException.class)) {
                throw new ConfigurationException(where + ": wrong PIN for the token (PIN from " + pinSourceKind(uri.pinSource()) + ")");
            }
            throw new ConfigurationException(where + ": could not log in to the token: " + rootMessage(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new ConfigurationException(where + ": the token cannot be used: " + rootMessage(e), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** A provider for the same slot whose key generation makes sensitive, non-extractable AES token objects labelled {@code label}. */
    Provider generatingProvider(String where, String label) {
        return configure(where, modulePath, slot, label);
    }

    /** Class and key type of every object labelled {@code label}, when the JVM lets us read them; else {@code null}. */
    List<Pkcs11Native.KeyAttributes> objectTypes(String label) {
        return nativeApi == null ? null : nativeApi.anyObjects(slot, label);
    }

    /** The attributes of the secret keys labelled {@code label}, when the JVM lets us read them; else {@code null}. */
    List<Pkcs11Native.KeyAttributes> secretKeyAttributes(String label) {
        return nativeApi == null ? null : nativeApi.secretKeys(slot, label);
    }

    private static Provider configure(String where, String modulePath, long slot, String generateLabel) {
        StringBuilder cfg = new StringBuilder("--name=secrets-").append(Long.toUnsignedString(slot)).append('\n')
                .append("library=").append(modulePath).append('\n')
                .append("slot=").append(slot).append('\n');
        if (generateLabel != null) {
            cfg.append("attributes(generate,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_TOKEN = true\n  CKA_PRIVATE = true\n")
                    .append("  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n  CKA_ENCRYPT = true\n  CKA_DECRYPT = true\n")
                    .append("  CKA_LABEL = 0h").append(HexFormat.of().formatHex(generateLabel.getBytes(StandardCharsets.UTF_8)))
                    .append("\n}\n");
        }
        try {
            return Security.getProvider("SunPKCS11").configure(cfg.toString());
        } catch (ProviderException | IllegalArgumentException e) {
            throw new ConfigurationException(where + ": PKCS#11 module " + modulePath + " could not be used: " + rootMessage(e), e);
        }
    }

    private static long findSlot(String where, Pkcs11Uri uri, Pkcs11Native nativeApi) {
        List<Pkcs11Native.Token> tokens = nativeApi.tokens();
        List<Pkcs11Native.Token> matching = tokens.stream()
                .filter(t -> uri.token() == null || uri.token().equals(t.label()))
                .filter(t -> uri.serial() == null || uri.serial().equals(t.serial()))
                .filter(t -> uri.manufacturer() == null || uri.manufacturer().equals(t.manufacturer()))
                .filter(t -> uri.model() == null || uri.model().equals(t.model()))
                .filter(t -> uri.slotId() == null || uri.slotId() == t.slot())
                .collect(Collectors.toList());
        if (matching.isEmpty()) {
            throw new ConfigurationException(where + ": no such token in PKCS#11 module " + uri.modulePath() + " (tokens present: "
                    + (tokens.isEmpty() ? "none" : tokens.stream().map(t -> "'" + t.label() + "'").collect(Collectors.joining(", "))) + ")");
        }
        if (matching.size() > 1) {
            throw new ConfigurationException(where + ": " + matching.size() + " tokens match; add serial=… to the URI to choose one");
        }
        return matching.get(0).slot();
    }

    private static char[] readPin(String where, String source, Function<String, String> env) {
        if (source.startsWith("env:")) {
            String v = env.apply(source.substring(4));
            if (v == null || v.isEmpty()) {
                throw new ConfigurationException(where + ": the PIN's environment variable " + source.substring(4) + " is not set");
            }
            return v.toCharArray();
        }
        if (source.startsWith("file:")) {
            Path p = Path.of(source.substring(5).startsWith("//") ? source.substring(7) : source.substring(5));
            try {
                byte[] b = Files.readAllBytes(p);
                String s = new String(b, StandardCharsets.UTF_8);
                Arrays.fill(b, (byte) 0);
                return s.strip().toCharArray();
            } catch (IOException e) {
                throw new ConfigurationException(where + ": the PIN file " + p + " cannot be read");
            }
        }
        throw new ConfigurationException(where + ": pin-source must be file:PATH or env:NAME");
    }

    private static String pinSourceKind(String source) {
        return source.startsWith("env:") ? "environment variable " + source.substring(4) : "file " + source.substring(5);
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
