package dev.secrets.internal.crypto;

import dev.secrets.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;

/**
 * Where the root of a master key comes from, parsed from a key URI:
 * <ul>
 *   <li>{@code env:NAME} — base64 of 32 bytes in environment variable NAME;</li>
 *   <li>{@code file:PATH} — base64 of 32 bytes in a file that group and others cannot read;</li>
 *   <li>{@code passphrase-env:NAME} — a passphrase in NAME, stretched with Argon2id.</li>
 * </ul>
 * {@link #toString()} shows the URI (a location), never key material.
 */
public final class RootKey {
    private final String uri;
    private final byte[] raw;          // env:, file:, or explicit bytes
    private final char[] passphrase;   // passphrase-env:

    private RootKey(String uri, byte[] raw, char[] passphrase) {
        this.uri = uri;
        this.raw = raw;
        this.passphrase = passphrase;
    }

    /** A root given as bytes by the application (builder API). */
    public static RootKey ofBytes(String keyName, byte[] key) {
        if (key == null || key.length != Aead.KEY_BYTES) {
            throw new ConfigurationException("master key '" + keyName + "' must be 32 bytes, not "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        return new RootKey("bytes:<given>", key.clone(), null);
    }

    /**
     * Parses a key URI and reads the key it names.
     *
     * @param env the environment to read {@code env:} and {@code passphrase-env:} from
     * @throws ConfigurationException naming the URI and what is wrong with it
     */
    public static RootKey parse(String keyName, String uri, Function<String, String> env) {
        if (uri == null || uri.isBlank()) {
            throw new ConfigurationException("key URI of master key '" + keyName + "' is empty");
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon);
        String rest = colon < 0 ? uri : uri.substring(colon + 1);
        switch (scheme) {
            case "env": {
                String v = env.apply(rest);
                if (v == null || v.isBlank()) {
                    throw new ConfigurationException("key URI " + uri + " of master key '" + keyName
                            + "': environment variable " + rest + " is not set");
                }
                return new RootKey(uri, decode(keyName, uri, v), null);
            }
            case "file":
                return new RootKey(uri, readFile(keyName, uri, Path.of(rest.startsWith("//") ? rest.substring(2) : rest)), null);
            case "passphrase-env": {
                String v = env.apply(rest);
                if (v == null || v.isEmpty()) {
                    throw new ConfigurationException("key URI " + uri + " of master key '" + keyName
                            + "': environment variable " + rest + " is not set");
                }
                if (v.length() < 12) {
                    throw new ConfigurationException("key URI " + uri + " of master key '" + keyName
                            + "': the passphrase is shorter than 12 characters");
                }
                return new RootKey(uri, null, v.toCharArray());
            }
            default:
                throw new ConfigurationException("key URI '" + uri + "' of master key '" + keyName
                        + "' is not understood; write env:NAME, file:PATH or passphrase-env:NAME");
        }
    }

    private static byte[] decode(String keyName, String uri, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("key URI " + uri + " of master key '" + keyName + "' does not hold base64");
        }
        if (key.length != Aead.KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new ConfigurationException("key URI " + uri + " of master key '" + keyName
                    + "' holds " + key.length + " bytes; a master key is 32 bytes (base64 of 32 random bytes; `secrets keys generate` makes one)");
        }
        return key;
    }

    private static byte[] readFile(String keyName, String uri, Path path) {
        byte[] content = KeyFile.read(keyName, path);
        String text = new String(content, StandardCharsets.US_ASCII);
        Arrays.fill(content, (byte) 0);
        return decode(keyName, uri, text);
    }

    public boolean isPassphrase() {
        return passphrase != null;
    }

    /** The 32-byte root: the key itself, or the passphrase stretched with {@code params}. */
    public byte[] material(Argon2.Params params) {
        if (passphrase != null) {
            if (params == null) {
                throw new IllegalStateException("a passphrase root needs Argon2id parameters");
            }
            return Argon2.derive(passphrase, params);
        }
        return raw.clone();
    }

    public String uri() {
        return uri;
    }

    @Override
    public String toString() {
        return "RootKey[" + uri + "]";
    }
}
