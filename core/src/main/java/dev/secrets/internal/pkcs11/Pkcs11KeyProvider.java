package dev.secrets.internal.pkcs11;

import dev.secrets.spi.KeyProvider;
import dev.secrets.spi.KeyRoot;
import java.util.function.Function;

/** {@code pkcs11:} roots: an AES-256 key inside a PKCS#11 token (RFC 7512 URI), through SunPKCS11. */
public final class Pkcs11KeyProvider implements KeyProvider {
    @Override
    public String scheme() {
        return "pkcs11";
    }

    @Override
    public KeyRoot open(String keyName, String uri, Function<String, String> environment) {
        return Pkcs11Root.open(keyName, uri, environment);
    }
}
