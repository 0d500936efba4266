package dev.secrets.internal.crypto;

import dev.secrets.ConfigurationException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.spi.KeyRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the root of a master key comes from, parsed from a key URI:
 * <ul>
 *   <li>{@code env:NAME} — base64 of 32 bytes in environment variable NAME;</li>
 *   <li>{@code file:PATH} — base64 of 32 bytes in a file that group and others cannot read;</li>
 *   <li>{@code passphrase-env:NAME} — a passphrase in NAME, stretched with Argon2id.</li>
 * </ul>
 * These roots are held in the process's memory; the keyring is encrypted directly under them
 * (keyring format 1). {@link #toString()} shows the URI (a location), never key material.
 * {@link #close()} (with the client) overwrites the root or passphrase held here.
 */
public final class RootKey implements KeyRoot {
    private final String uri;
    private final byte[] raw;          // env:, file:, or explicit bytes
    private final char[] passphrase;   // passphrase-env:
    private volatile boolean closed;

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
                        + "' is not understood; write env:NAME, file:PATH, passphrase-env:NAME, pkcs11:… or aws-kms:…");
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

    @Override
    public String scheme() {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }

    @Override
    public String describe() {
        return uri;
    }

    /** Wraps a fresh key with AES-256-GCM under the 32-byte root (not for a passphrase root). */
    @Override
    public NewKey generate(Map<String, String> context) {
        byte[] key = new byte[Aead.KEY_BYTES];
        java.security.SecureRandom random = new java.security.SecureRandom();
        random.nextBytes(key);
        byte[] nonce = Aead.nonce(random);
        byte[] ct = Aead.encrypt(new SecretKeySpec(rawOnly(), "AES"), nonce, key, contextBytes(context));
        byte[] wrapped = Arrays.copyOf(nonce, nonce.length + ct.length);
        System.arraycopy(ct, 0, wrapped, nonce.length, ct.length);
        NewKey k = new NewKey(key, wrapped);
        Arrays.fill(key, (byte) 0);
        return k;
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        try {
            return Aead.decrypt(new SecretKeySpec(rawOnly(), "AES"), Arrays.copyOf(wrapped, Aead.NONCE_BYTES),
                    Arrays.copyOfRange(wrapped, Aead.NONCE_BYTES, wrapped.length), contextBytes(context));
        } catch (Aead.DecryptionFailedException | IllegalArgumentException e) {
            throw new WrongMasterKeyException(uri + " did not wrap this key");
        }
    }

    private byte[] rawOnly() {
        checkOpen();
        if (raw == null) {
            throw new IllegalStateException("a passphrase root encrypts its keyring directly");
        }
        return raw;
    }

    /** A canonical byte form of a wrapping context: sorted {@code key=value} pairs, NUL-separated. */
    public static byte[] contextBytes(Map<String, String> context) {
        StringBuilder b = new StringBuilder("secrets/root-context/v1");
        new TreeMap<>(context).forEach((k, v) -> b.append('\0').append(k).append('=').append(v));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public boolean isPassphrase() {
        return passphrase != null;
    }

    /** The 32-byte root: the key itself, or the passphrase stretched with {@code params}. */
    public byte[] material(Argon2.Params params) {
        checkOpen();
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

    /** Overwrites the root (or the passphrase) held here; the root refuses every use afterwards. */
    @Override
    public void close() {
        closed = true;
        if (raw != null) {
            Arrays.fill(raw, (byte) 0);
        }
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("master key root " + uri + " was closed with its client");
        }
    }

    @Override
    public String toString() {
        return "RootKey[" + uri + "]";
    }
}
