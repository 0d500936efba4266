package dev.secrets.internal.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.ConflictException;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Argon2;
import dev.secrets.internal.crypto.Hmac;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.json.Json;
import dev.secrets.internal.store.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyrings of named master keys, stored in the store at {@code keys/NAME/~gen}, each encrypted
 * under its root key (AES-256-GCM). The object is one header line — format, name, key-check value,
 * nonce, Argon2id parameters for a passphrase root — and the ciphertext of the keyring JSON, with
 * the header and the store ID as associated data. Decrypted keyrings are cached per process.
 * Thread-safe.
 */
public final class KeyringStore {
    private static final int ATTEMPTS = 50;

    private final RecordLog log;
    private final Function<String, Optional<RootKey>> roots;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, Keyring> cache = new ConcurrentHashMap<>();
    private final Map<String, byte[]> derivedRoots = new ConcurrentHashMap<>();

    public KeyringStore(RecordLog log, Function<String, Optional<RootKey>> roots, SecureRandom random, Clock clock) {
        this.log = log;
        this.roots = roots;
        this.random = random;
        this.clock = clock;
    }

    static String logName(String keyName) {
        return "keys/" + keyName;
    }

    /**
     * Checks, without I/O, that this client holds a root for {@code keyName}.
     *
     * @throws MissingMasterKeyException naming the key and how to configure it
     */
    public void requireRoot(String keyName) {
        root(keyName);
    }

    /** Whether this client holds a root for {@code keyName}. */
    public boolean holds(String keyName) {
        return roots.apply(keyName).isPresent();
    }

    /**
     * The keyring of {@code keyName} holding at least version {@code minVersion}; reloaded from the
     * store when the cached one is older (another process rotated the key).
     *
     * @throws MissingMasterKeyException when this client has no root for the key
     * @throws WrongMasterKeyException when the root does not match the stored keyring
     */
    public Keyring get(String storeId, String keyName, int minVersion) {
        Keyring k = cache.get(keyName);
        if (k != null && k.version(minVersion) != null) {
            return k;
        }
        return load(storeId, keyName, true);
    }

    /** The keyring for writing: created (version 1) on first use. */
    public Keyring forWrite(String storeId, String keyName) {
        Keyring k = cache.get(keyName);
        return k != null ? k : load(storeId, keyName, true);
    }

    /** Appends a new random version and makes it primary; returns the new keyring. */
    public Keyring rotate(String storeId, String keyName) {
        RootKey root = root(keyName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<RecordLog.Entry> current = read(keyName);
            Map<Integer, byte[]> materials = new HashMap<>();
            Map<Integer, Instant> created = new HashMap<>();
            Argon2.Params kdf = null;
            if (current.isPresent()) {
                Decoded d = decode(storeId, keyName, root, current.get());
                materials.putAll(d.materials);
                created.putAll(d.created);
                kdf = d.kdf;
            } else if (root.isPassphrase()) {
                kdf = newKdf();
            }
            int next = materials.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            byte[] m = new byte[Aead.KEY_BYTES];
            random.nextBytes(m);
            materials.put(next, m);
            created.put(next, clock.instant());
            byte[] payload = encode(storeId, keyName, root, kdf, next, materials, created);
            if (log.append(logName(keyName), current.orElse(null), payload)) {
                cache.remove(keyName);
                return load(storeId, keyName, false);
            }
        }
        throw new ConflictException("could not rotate master key '" + keyName + "': too many concurrent changes");
    }

    private Keyring load(String storeId, String keyName, boolean create) {
        RootKey root = root(keyName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<RecordLog.Entry> current = read(keyName);
            if (current.isPresent()) {
                Decoded d = decode(storeId, keyName, root, current.get());
                Map<Integer, Keyring.Version> versions = new HashMap<>();
                d.materials.forEach((n, m) -> versions.put(n, new Keyring.Version(n, d.created.get(n), m)));
                Keyring k = new Keyring(keyName, current.get().generation(), d.primary, versions);
                cache.put(keyName, k);
                return k;
            }
            if (!create) {
                throw new SecretsException("master key '" + keyName + "' has no keyring in this store");
            }
            byte[] m = new byte[Aead.KEY_BYTES];
            random.nextBytes(m);
            Argon2.Params kdf = root.isPassphrase() ? newKdf() : null;
            byte[] payload = encode(storeId, keyName, root, kdf, 1, Map.of(1, m), Map.of(1, clock.instant()));
            log.append(logName(keyName), null, payload); // lost race: another process created it; re-read
        }
        throw new ConflictException("could not load master key '" + keyName + "': too many concurrent changes");
    }

    private Optional<RecordLog.Entry> read(String keyName) {
        try {
            return log.read(logName(keyName));
        } catch (RecordLog.CorruptRecordException e) {
            throw new dev.secrets.SecretTamperedException("the keyring of master key '" + keyName
                    + "' is damaged or was altered (" + e.getMessage() + ")", e);
        }
    }

    private RootKey root(String keyName) {
        return roots.apply(keyName).orElseThrow(() -> new MissingMasterKeyException("this client holds no master key '"
                + keyName + "'; configure it with " + (keyName.equals("default") ? "secrets.key" : "secrets.keys." + keyName)
                + " (env:NAME, file:PATH or passphrase-env:NAME)"));
    }

    private Argon2.Params newKdf() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Argon2.Params(salt, Argon2.DEFAULT_MEMORY_KIB, Argon2.DEFAULT_ITERATIONS, Argon2.DEFAULT_PARALLELISM);
    }

    private byte[] rootMaterial(String keyName, RootKey root, Argon2.Params kdf) {
        if (!root.isPassphrase()) {
            return root.material(null);
        }
        String cacheKey = keyName + "/" + Base64.getEncoder().encodeToString(kdf.salt()) + "/" + kdf.memoryKiB() + "/"
                + kdf.iterations() + "/" + kdf.parallelism();
        return derivedRoots.computeIfAbsent(cacheKey, k -> root.material(kdf));
    }

    private static byte[] check(byte[] root, String storeId, String keyName) {
        return Arrays.copyOf(Hmac.mac(root, ("secrets/key-check/v1\0" + storeId + "\0" + keyName).getBytes(StandardCharsets.UTF_8)), 16);
    }

    private byte[] encode(String storeId, String keyName, RootKey root, Argon2.Params kdf, int primary,
                          Map<Integer, byte[]> materials, Map<Integer, Instant> created) {
        byte[] rootBytes = rootMaterial(keyName, root, kdf);
        byte[] nonce = Aead.nonce(random);
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.put("format", 1);
        header.put("name", keyName);
        header.put("check", check(rootBytes, storeId, keyName));
        header.put("nonce", nonce);
        if (kdf != null) {
            ObjectNode k = header.putObject("kdf");
            k.put("alg", "argon2id");
            k.put("salt", kdf.salt());
            k.put("memoryKiB", kdf.memoryKiB());
            k.put("iterations", kdf.iterations());
            k.put("parallelism", kdf.parallelism());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("primary", primary);
        ArrayNode vs = body.putArray("versions");
        materials.keySet().stream().sorted().forEach(n -> {
            ObjectNode v = vs.addObject();
            v.put("version", n);
            v.put("created", created.get(n).toString());
            v.put("material", materials.get(n));
        });
        try {
            byte[] headerBytes = Json.MAPPER.writeValueAsBytes(header);
            byte[] plain = Json.MAPPER.writeValueAsBytes(body);
            byte[] ct = Aead.encrypt(new SecretKeySpec(rootBytes, "AES"), nonce, plain, aad(headerBytes, storeId));
            Arrays.fill(plain, (byte) 0);
            byte[] out = new byte[headerBytes.length + 1 + ct.length];
            System.arraycopy(headerBytes, 0, out, 0, headerBytes.length);
            out[headerBytes.length] = '\n';
            System.arraycopy(ct, 0, out, headerBytes.length + 1, ct.length);
            return out;
        } catch (IOException e) {
            throw new SecretsException("could not encode keyring of master key '" + keyName + "'", e);
        }
    }

    private static byte[] aad(byte[] header, String storeId) {
        byte[] s = ("\0secrets/keyring/v1\0" + storeId).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(header, header.length + s.length);
        System.arraycopy(s, 0, out, header.length, s.length);
        return out;
    }

    private static final class Decoded {
        int primary;
        Argon2.Params kdf;
        final Map<Integer, byte[]> materials = new HashMap<>();
        final Map<Integer, Instant> created = new HashMap<>();
    }

    private Decoded decode(String storeId, String keyName, RootKey root, RecordLog.Entry entry) {
        byte[] payload = entry.payload();
        int nl = indexOf(payload, (byte) '\n');
        try {
            if (nl < 0) {
                throw new IOException("no header");
            }
            byte[] headerBytes = Arrays.copyOf(payload, nl);
            JsonNode header = Json.MAPPER.readTree(headerBytes);
            if (!keyName.equals(header.path("name").asText())) {
                throw new IOException("keyring names another key");
            }
            Decoded d = new Decoded();
            JsonNode k = header.get("kdf");
            if (k != null) {
                d.kdf = new Argon2.Params(k.get("salt").binaryValue(), k.get("memoryKiB").asInt(), k.get("iterations").asInt(),
                        k.get("parallelism").asInt());
            }
            if (root.isPassphrase() != (d.kdf != null)) {
                throw new WrongMasterKeyException("master key '" + keyName + "' of this store was created with "
                        + (d.kdf != null ? "a passphrase (passphrase-env:)" : "a 32-byte key (env: or file:)")
                        + ", but this client gives " + root.uri());
            }
            byte[] rootBytes = rootMaterial(keyName, root, d.kdf);
            if (!MessageDigest.isEqual(check(rootBytes, storeId, keyName), header.get("check").binaryValue())) {
                throw new WrongMasterKeyException("wrong master key '" + keyName + "': " + root.uri()
                        + " is not the key this store's master key '" + keyName + "' was created with");
            }
            byte[] ct = Arrays.copyOfRange(payload, nl + 1, payload.length);
            byte[] plain;
            try {
                plain = Aead.decrypt(new SecretKeySpec(rootBytes, "AES"), header.get("nonce").binaryValue(), ct, aad(headerBytes, storeId));
            } catch (Aead.DecryptionFailedException e) {
                throw new IOException("keyring failed authentication");
            }
            JsonNode body = Json.MAPPER.readTree(plain);
            Arrays.fill(plain, (byte) 0);
            d.primary = body.get("primary").asInt();
            for (JsonNode v : body.get("versions")) {
                int n = v.get("version").asInt();
                d.materials.put(n, v.get("material").binaryValue());
                d.created.put(n, Instant.parse(v.get("created").asText()));
            }
            if (!d.materials.containsKey(d.primary)) {
                throw new IOException("primary version missing");
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SecretsException) {
                throw (SecretsException) e;
            }
            throw new dev.secrets.SecretTamperedException("the keyring of master key '" + keyName
                    + "' is damaged or was altered (" + e.getMessage() + ")", e);
        }
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
