package dev.secrets.internal.crypto;

import dev.secrets.spi.KeyProvider;
import dev.secrets.spi.KeyRoot;
import java.util.function.Function;

/**
 * The built-in providers of roots held in the process's memory — {@code env:}, {@code file:} and
 * {@code passphrase-env:} — registered like any other {@link KeyProvider}. They open a
 * {@link RootKey}, exactly as before key providers were plug-ins.
 */
public final class LocalKeyProviders {
    private LocalKeyProviders() {
    }

    /** {@code env:NAME}: base64 of 32 bytes in an environment variable. */
    public static final class Env implements KeyProvider {
        @Override
        public String scheme() {
            return "env";
        }

        @Override
        public KeyRoot open(String keyName, String uri, Function<String, String> environment) {
            return RootKey.parse(keyName, uri, environment);
        }
    }

    /** {@code file:PATH}: base64 of 32 bytes in a file only its owner can read. */
    public static final class File implements KeyProvider {
        @Override
        public String scheme() {
            return "file";
        }

        @Override
        public KeyRoot open(String keyName, String uri, Function<String, String> environment) {
            return RootKey.parse(keyName, uri, environment);
        }
    }

    /** {@code passphrase-env:NAME}: a passphrase stretched with Argon2id. */
    public static final class PassphraseEnv implements KeyProvider {
        @Override
        public String scheme() {
            return "passphrase-env";
        }

        @Override
        public KeyRoot open(String keyName, String uri, Function<String, String> environment) {
            return RootKey.parse(keyName, uri, environment);
        }
    }
}
