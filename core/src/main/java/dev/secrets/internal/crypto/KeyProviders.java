package dev.secrets.internal.crypto;

import dev.secrets.ConfigurationException;
import dev.secrets.spi.KeyProvider;
import dev.secrets.spi.KeyRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Opens key URIs with the {@link KeyProvider} registered for their scheme. */
public final class KeyProviders {
    private KeyProviders() {
    }

    /**
     * Opens {@code uri} as the root of master key {@code keyName}.
     *
     * @throws ConfigurationException for an empty URI, a URI without scheme, or a scheme no provider
     *         on the class path handles (naming the schemes that are available)
     */
    public static KeyRoot open(String keyName, String uri, Function<String, String> environment) {
        if (uri == null || uri.isBlank()) {
            throw new ConfigurationException("key URI of master key '" + keyName + "' is empty");
        }
        int colon = uri.indexOf(':');
        if (colon < 1) {
            return RootKey.parse(keyName, uri, environment); // its message says how to write a key URI
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (KeyProvider p : ServiceLoader.load(KeyProvider.class, KeyProviders.class.getClassLoader())) {
            if (p.scheme().equals(scheme)) {
                return p.open(keyName, uri, environment);
            }
            known.add(p.scheme());
        }
        // The rest of the URI is not shown: an unknown scheme may carry anything.
        throw new ConfigurationException("no key provider for scheme '" + scheme + "' (master key '" + keyName + "'); available: "
                + String.join(", ", known) + (scheme.equals("aws-kms") ? "; add secrets-key-aws-kms to the class path" : ""));
    }
}
