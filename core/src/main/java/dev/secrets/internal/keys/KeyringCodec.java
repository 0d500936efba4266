package dev.secrets.internal.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Argon2;
import dev.secrets.internal.crypto.Hkdf;
import dev.secrets.internal.crypto.Hmac;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.json.Json;
import dev.secrets.internal.json.JsonTree;
import dev.secrets.spi.KeyRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stored form of a keyring: one header line and the keyring JSON encrypted with AES-256-GCM,
 * the header and the store ID as associated data. Three formats:
 * <ul>
 *   <li>1 — a root held in memory ({@link RootKey}: {@code env:}, {@code file:},
 *       {@code passphrase-env:}) encrypts the keyring directly; the header carries a key-check
 *       value (so a wrong root is told from tampering) and, for a passphrase, the Argon2id
 *       parameters. Stores written before key providers existed are all format 1.</li>
 *   <li>2 — any other {@link KeyRoot} (an HSM, a KMS): a fresh 32-byte keyring key encrypts the
 *       keyring; the header carries that key as the root wrapped it, bound to the store ID and the
 *       key name. The root is asked once per load.</li>
 *   <li>3 — a root held in memory, as format 1, but used only through HKDF-SHA256 subkeys (one
 *       encrypts the keyring, one computes the key-check value). Written for every local root;
 *       format 1 keyrings are still read and move to format 3 on their next write.</li>
 * </ul>
 * A retired version keeps only its MAC key (records it authenticated stay verifiable); its
 * material, and with it the ability to unwrap data keys, is gone.
 */
final class KeyringCodec {
    private KeyringCodec() {
    }

    /** One version as stored: {@code material} for a live version, {@code macKey} and {@code retired} for a retired one. */
    record Entry(int number, Instant created, byte[] material, byte[] macKey, Instant retired) {
        Keyring.Version toVersion() {
            return retired == null ? new Keyring.Version(number, created, material) : new Keyring.Version(number, created, retired, macKey);
        }

        Entry retire(Instant when) {
            return new Entry(number, created, null, Hmac.derive(material, "secrets/mac/v1"), when);
        }
    }

    /** A decoded keyring. */
    static final class Data {
        int primary;
        Argon2.Params kdf;
        String rootScheme;
        final TreeMap<Integer, Entry> versions = new TreeMap<>();

        /** Overwrites every version's material and MAC key held here (a {@link Keyring} built from them holds its own). */
        void destroy() {
            versions.values().forEach(e -> {
                if (e.material() != null) {
                    Arrays.fill(e.material(), (byte) 0);
                }
                if (e.macKey() != null) {
                    Arrays.fill(e.macKey(), (byte) 0);
                }
            });
        }
    }

    static Map<String, String> context(String storeId, String keyName) {
        return Map.of("secrets:store", storeId, "secrets:key", keyName);
    }

    /** The root's scheme as recorded in a stored keyring's header, without decrypting it. */
    static String storedScheme(byte[] payload) {
        try {
            JsonNode header = JsonTree.read(Arrays.copyOf(payload, Math.max(0, indexOf(payload, (byte) '\n'))));
            if (header.hasNonNull("root")) {
                return header.get("root").asText();
            }
            return header.hasNonNull("kdf") ? "passphrase-env" : "env/file";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The stored form of {@code d} under {@code root}. {@code material} gives a local root's 32 bytes
     * as a new array, which this method zeroes after use (so does {@link #decode}); every key derived
     * or unwrapped here is zeroed too.
     */
    static byte[] encode(String storeId, String keyName, KeyRoot root, Data d, SecureRandom random,
                         BiFunction<RootKey, Argon2.Params, byte[]> material) {
        byte[] nonce = Aead.nonce(random);
        ObjectNode header = Json.MAPPER.createObjectNode();
        byte[] key;
        if (root instanceof RootKey local) {
            byte[] rootBytes = material.apply(local, d.kdf);
            try {
                key = wrapKey(LOCAL_HKDF, rootBytes, storeId, keyName);
                header.put("check", check(LOCAL_HKDF, rootBytes, storeId, keyName));
            } finally {
                Arrays.fill(rootBytes, (byte) 0);
            }
            header.put("format", LOCAL_HKDF);
            header.put("name", keyName);
            header.put("root", local.scheme());
            header.put("nonce", nonce);
            if (d.kdf != null) {
                ObjectNode k = header.putObject("kdf");
                k.put("alg", "argon2id");
                k.put("salt", d.kdf.salt());
                k.put("memoryKiB", d.kdf.memoryKiB());
                k.put("iterations", d.kdf.iterations());
                k.put("parallelism", d.kdf.parallelism());
            }
        } else {
            KeyRoot.NewKey fresh = root.generate(context(storeId, keyName));
            key = fresh.key();
            fresh.destroy();
            header.put("format", 2);
            header.put("name", keyName);
            header.put("root", root.scheme());
            header.put("wrappedKey", fresh.wrapped());
            header.put("nonce", nonce);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("primary", d.primary);
        ArrayNode vs = body.putArray("versions");
        d.versions.values().forEach(e -> {
            ObjectNode v = vs.addObject();
            v.put("version", e.number());
            v.put("created", e.created().toString());
            if (e.retired() == null) {
                v.put("material", e.material());
            } else {
                v.put("retired", e.retired().toString());
                v.put("macKey", e.macKey());
            }
        });
        try {
            byte[] headerBytes = Json.MAPPER.writeValueAsBytes(header);
            byte[] plain = Json.MAPPER.writeValueAsBytes(body);
            byte[] ct = Aead.encrypt(new SecretKeySpec(key, "AES"), nonce, plain, aad(headerBytes, storeId));
            Arrays.fill(plain, (byte) 0);
            byte[] out = new byte[headerBytes.length + 1 + ct.length];
            System.arraycopy(headerBytes, 0, out, 0, headerBytes.length);
            out[headerBytes.length] = '\n';
            System.arraycopy(ct, 0, out, headerBytes.length + 1, ct.length);
            return out;
        } catch (IOException e) {
            throw new SecretsException("could not encode keyring of master key '" + keyName + "'", e);
        } finally {
            Arrays.fill(key, (byte) 0); // an HKDF subkey or a fresh keyring key
        }
    }

    static Data decode(String storeId, String keyName, KeyRoot root, byte[] payload,
                       BiFunction<RootKey, Argon2.Params, byte[]> material) {
        int nl = indexOf(payload, (byte) '\n');
        try {
            if (nl < 0) {
                throw new IOException("no header");
            }
            byte[] headerBytes = Arrays.copyOf(payload, nl);
            JsonNode header = JsonTree.read(headerBytes);
            if (!keyName.equals(header.path("name").asText())) {
                throw new IOException("keyring names another key");
            }
            Data d = new Data();
            int format = header.path("format").asInt(1);
            d.rootScheme = storedScheme(payload);
            byte[] key;
            if (format == 1 || format == LOCAL_HKDF) {
                JsonNode k = header.get("kdf");
                if (k != null) {
                    d.kdf = new Argon2.Params(k.get("salt").binaryValue(), k.get("memoryKiB").asInt(), k.get("iterations").asInt(),
                            k.get("parallelism").asInt());
                }
                if (!(root instanceof RootKey local) || local.isPassphrase() != (d.kdf != null)) {
                    throw new WrongMasterKeyException("master key '" + keyName + "' of this store was created with "
                            + (d.kdf != null ? "a passphrase (passphrase-env:)" : "a 32-byte key (env: or file:)")
                            + ", but this client gives " + root.describe());
                }
                byte[] rootBytes = material.apply(local, d.kdf);
                try {
                    if (!MessageDigest.isEqual(check(format, rootBytes, storeId, keyName), header.get("check").binaryValue())) {
                        throw new WrongMasterKeyException("wrong master key '" + keyName + "': " + root.describe()
                                + " is not the key this store's master key '" + keyName + "' was created with");
                    }
                    key = wrapKey(format, rootBytes, storeId, keyName);
                } finally {
                    Arrays.fill(rootBytes, (byte) 0);
                }
            } else if (format == 2) {
                if (!root.scheme().equals(d.rootScheme)) {
                    throw new WrongMasterKeyException("wrong master key '" + keyName + "': this store's master key '" + keyName
                            + "' is wrapped by a " + d.rootScheme + ": root, but this client gives " + root.describe());
                }
                try {
                    key = root.unwrap(header.get("wrappedKey").binaryValue(), context(storeId, keyName));
                } catch (WrongMasterKeyException e) {
                    throw new WrongMasterKeyException("wrong master key '" + keyName + "': " + root.describe()
                            + " is not the root this store's master key '" + keyName + "' is wrapped with (" + e.getMessage() + ")", e);
                }
            } else {
                throw new IOException("unknown keyring format " + format + " (written by a newer version?)");
            }
            byte[] ct = Arrays.copyOfRange(payload, nl + 1, payload.length);
            byte[] plain;
            try {
                plain = Aead.decrypt(new SecretKeySpec(key, "AES"), header.get("nonce").binaryValue(), ct, aad(headerBytes, storeId));
            } catch (Aead.DecryptionFailedException e) {
                throw new IOException("keyring failed authentication");
            } finally {
                Arrays.fill(key, (byte) 0); // a subkey, a copy of the root (format 1) or the root's unwrapped key (format 2)
            }
            JsonNode body;
            try {
                body = JsonTree.read(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            d.primary = body.get("primary").asInt();
            for (JsonNode v : body.get("versions")) {
                int n = v.get("version").asInt();
                Instant created = Instant.parse(v.get("created").asText());
                d.versions.put(n, v.hasNonNull("retired")
                        ? new Entry(n, created, null, v.get("macKey").binaryValue(), Instant.parse(v.get("retired").asText()))
                        : new Entry(n, created, v.get("material").binaryValue(), null, null));
            }
            Entry primary = d.versions.get(d.primary);
            if (primary == null || primary.retired() != null) {
                throw new IOException("primary version missing");
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SecretsException) {
                throw (SecretsException) e;
            }
            throw new SecretTamperedException("the keyring of master key '" + keyName + "' is damaged or was altered ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Format 3 — a root held in memory, used only through HKDF-SHA256 subkeys: one encrypts the
     * keyring, another computes the key-check value, so the root is never both an AES and an HMAC
     * key (format 1 used it directly for both; it is still read, and a keyring moves to format 3
     * on its next write).
     */
    static final int LOCAL_HKDF = 3;

    /** The key that encrypts a local root's keyring, as a new array the caller zeroes. */
    private static byte[] wrapKey(int format, byte[] root, String storeId, String keyName) {
        return format == LOCAL_HKDF ? Hkdf.derive(root, "secrets/keyring-wrap/v3\0" + storeId + "\0" + keyName) : root.clone();
    }

    private static byte[] check(int format, byte[] root, String storeId, String keyName) {
        if (format != LOCAL_HKDF) {
            return check(root, storeId, keyName);
        }
        byte[] k = Hkdf.derive(root, "secrets/key-check/v3\0" + storeId + "\0" + keyName);
        try {
            return Arrays.copyOf(Hmac.mac(k, ("secrets/key-check/v3\0" + storeId + "\0" + keyName).getBytes(StandardCharsets.UTF_8)), 16);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static byte[] check(byte[] root, String storeId, String keyName) {
        return Arrays.copyOf(Hmac.mac(root, ("secrets/key-check/v1\0" + storeId + "\0" + keyName).getBytes(StandardCharsets.UTF_8)), 16);
    }

    private static byte[] aad(byte[] header, String storeId) {
        byte[] s = ("\0secrets/keyring/v1\0" + storeId).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(header, header.length + s.length);
        System.arraycopy(s, 0, out, header.length, s.length);
        return out;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
