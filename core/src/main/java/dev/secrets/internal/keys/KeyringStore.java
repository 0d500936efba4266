package dev.secrets.internal.keys;

import dev.secrets.ConflictException;
import dev.secrets.MasterKeyDescription;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Argon2;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.KeyRoot;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keyrings of named master keys, stored in the store at {@code keys/NAME/~gen}, each encrypted
 * under its root ({@link KeyringCodec} has the stored form). Decrypted keyrings are cached per
 * process, so a root (an HSM, a KMS) is asked once per keyring load, never per read. Rotation,
 * rekey and retirement are each one compare-and-set of the keyring's record log.
 * Thread-safe.
 */
public final class KeyringStore {
    private static final int ATTEMPTS = 50;

    private final RecordLog log;
    private final Function<String, ? extends Optional<? extends KeyRoot>> roots;
    /** Roots this client moved keys to with {@link #rekey}. */
    private final Map<String, KeyRoot> replaced = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, Keyring> cache = new ConcurrentHashMap<>();
    private final Map<String, byte[]> derivedRoots = new ConcurrentHashMap<>();

    public KeyringStore(RecordLog log, Function<String, ? extends Optional<? extends KeyRoot>> roots, SecureRandom random, Clock clock) {
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
        return replaced.containsKey(keyName) || roots.apply(keyName).isPresent();
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
        KeyRoot root = root(keyName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<RecordLog.Entry> current = read(keyName);
            KeyringCodec.Data d;
            if (current.isPresent()) {
                d = decode(storeId, keyName, root, current.get());
            } else {
                d = new KeyringCodec.Data();
                d.kdf = isPassphrase(root) ? newKdf() : null;
            }
            int next = d.versions.isEmpty() ? 1 : d.versions.lastKey() + 1;
            byte[] m = new byte[Aead.KEY_BYTES];
            random.nextBytes(m);
            d.versions.put(next, new KeyringCodec.Entry(next, clock.instant(), m, null, null));
            d.primary = next;
            byte[] encoded;
            try {
                encoded = encode(storeId, keyName, root, d);
            } finally {
                d.destroy();
            }
            if (log.append(logName(keyName), current.orElse(null), encoded)) {
                cache.remove(keyName);
                return load(storeId, keyName, false);
            }
        }
        throw new ConflictException("could not rotate master key '" + keyName + "': too many concurrent changes");
    }

    /**
     * Re-encrypts the keyring of {@code keyName} — every version, material unchanged — under
     * {@code to}, then deletes every older generation of the keyring, so that the old root opens
     * nothing in the store. One atomic write: a rekey stopped at any point leaves a keyring that
     * either the old or the new root opens. Running it again after an interruption finishes it
     * (it then only needs {@code to}). From then on this client uses {@code to} for the key.
     *
     * @return the number of key versions now under {@code to}
     */
    public int rekey(String storeId, String keyName, KeyRoot to) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RecordLog.Entry current = read(keyName).orElseThrow(() -> new SecretsException("master key '" + keyName
                    + "' has no keyring in this store: nothing to rekey"));
            KeyringCodec.Data d;
            boolean done = false;
            try {
                d = decode(storeId, keyName, to, current);
                done = true; // already under the new root: an earlier rekey got this far
            } catch (WrongMasterKeyException notYet) {
                d = decode(storeId, keyName, root(keyName), current);
            }
            try {
                if (!done) {
                    d.kdf = isPassphrase(to) ? newKdf() : null;
                    if (!log.append(logName(keyName), current, encode(storeId, keyName, to, d))) {
                        continue;
                    }
                }
            } finally {
                d.destroy();
            }
            replaced.put(keyName, to);
            cache.remove(keyName);
            RecordLog.Entry latest = read(keyName).orElseThrow();
            log.deleteOlder(logName(keyName), latest.generation());
            Keyring k = load(storeId, keyName, false);
            return (int) k.versions().values().stream().filter(v -> v.retired() == null).count();
        }
        throw new ConflictException("could not rekey master key '" + keyName + "': too many concurrent changes");
    }

    /**
     * Destroys the material of version {@code version} of {@code keyName}, keeping only the key that
     * verifies the records it authenticated. Data keys still wrapped by it can never be unwrapped.
     *
     * @return the keyring after the change
     * @throws SecretsException when the version does not exist or is the primary
     */
    public Keyring retire(String storeId, String keyName, int version) {
        KeyRoot root = root(keyName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RecordLog.Entry current = read(keyName).orElseThrow(() -> new SecretsException("master key '" + keyName
                    + "' has no keyring in this store"));
            KeyringCodec.Data d = decode(storeId, keyName, root, current);
            KeyringCodec.Entry e = d.versions.get(version);
            if (e == null) {
                throw new SecretsException("master key '" + keyName + "' has no version " + version + " (versions: " + d.versions.keySet() + ")");
            }
            if (version == d.primary) {
                throw new SecretsException("version " + version + " is the primary version of master key '" + keyName
                        + "'; rotate the key (secrets keys rotate) and re-wrap (secrets rewrap) before retiring it");
            }
            try {
                if (e.retired() == null) {
                    d.versions.put(version, e.retire(clock.instant()));
                    if (!log.append(logName(keyName), current, encode(storeId, keyName, root, d))) {
                        continue;
                    }
                }
            } finally {
                d.destroy();
                if (e.material() != null) {
                    Arrays.fill(e.material(), (byte) 0); // the retired entry replaced it in d
                }
            }
            cache.remove(keyName);
            return load(storeId, keyName, false);
        }
        throw new ConflictException("could not retire a version of master key '" + keyName + "': too many concurrent changes");
    }

    /** The master key as {@code keys list} shows it; needs this client's root (the versions are encrypted). */
    public MasterKeyDescription describe(String storeId, String keyName) {
        RecordLog.Entry current = read(keyName).orElseThrow(() -> new SecretsException("master key '" + keyName
                + "' has no keyring in this store"));
        KeyringCodec.Data d = decode(storeId, keyName, root(keyName), current);
        d.destroy(); // only numbers, dates and states are described
        List<MasterKeyDescription.Version> vs = new ArrayList<>();
        d.versions.values().forEach(e -> vs.add(new MasterKeyDescription.Version(e.number(), e.created(),
                e.retired() != null ? MasterKeyDescription.State.RETIRED
                        : e.number() == d.primary ? MasterKeyDescription.State.PRIMARY : MasterKeyDescription.State.ACTIVE,
                e.retired())));
        return new MasterKeyDescription(keyName, d.rootScheme, vs);
    }

    /** The scheme of the root that wraps {@code keyName}'s keyring, read from its header (no root needed). */
    public Optional<String> storedScheme(String keyName) {
        return read(keyName).map(e -> KeyringCodec.storedScheme(e.payload()));
    }

    private Keyring load(String storeId, String keyName, boolean create) {
        KeyRoot root = root(keyName);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<RecordLog.Entry> current = read(keyName);
            if (current.isPresent()) {
                KeyringCodec.Data d = decode(storeId, keyName, root, current.get());
                Map<Integer, Keyring.Version> versions = new HashMap<>();
                try {
                    d.versions.forEach((n, e) -> versions.put(n, e.toVersion()));
                } finally {
                    d.destroy();
                }
                Keyring k = new Keyring(keyName, current.get().generation(), d.primary, versions);
                log.confirm(logName(keyName), current.get().generation()); // authenticated: never accept an older keyring
                cache.put(keyName, k);
                return k;
            }
            if (!create) {
                throw new SecretsException("master key '" + keyName + "' has no keyring in this store");
            }
            byte[] m = new byte[Aead.KEY_BYTES];
            random.nextBytes(m);
            KeyringCodec.Data d = new KeyringCodec.Data();
            d.kdf = isPassphrase(root) ? newKdf() : null;
            d.primary = 1;
            d.versions.put(1, new KeyringCodec.Entry(1, clock.instant(), m, null, null));
            log.append(logName(keyName), null, encode(storeId, keyName, root, d)); // lost race: another process created it; re-read
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

    private KeyRoot root(String keyName) {
        KeyRoot r = replaced.get(keyName);
        if (r != null) {
            return r;
        }
        return roots.apply(keyName).orElseThrow(() -> new MissingMasterKeyException("this client holds no master key '"
                + keyName + "'; configure it with " + (keyName.equals("default") ? "secrets.key" : "secrets.keys." + keyName)
                + " (env:NAME, file:PATH, passphrase-env:NAME, pkcs11:… or aws-kms:…)"));
    }

    private static boolean isPassphrase(KeyRoot root) {
        return root instanceof RootKey r && r.isPassphrase();
    }

    private Argon2.Params newKdf() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Argon2.Params(salt, Argon2.DEFAULT_MEMORY_KIB, Argon2.DEFAULT_ITERATIONS, Argon2.DEFAULT_PARALLELISM);
    }

    private byte[] rootMaterial(RootKey root, Argon2.Params kdf) {
        if (!root.isPassphrase()) {
            return root.material(null);
        }
        String cacheKey = root.uri() + "/" + Base64.getEncoder().encodeToString(kdf.salt()) + "/" + kdf.memoryKiB() + "/"
                + kdf.iterations() + "/" + kdf.parallelism();
        // A copy: the codec zeroes what it is given; the cached Argon2id result lives until close().
        return derivedRoots.computeIfAbsent(cacheKey, k -> root.material(kdf)).clone();
    }

    /**
     * Overwrites what this store holds of key material: the cached Argon2id-derived roots, and the MAC
     * keys of the cached keyrings (their AES wrap keys are {@code SecretKeySpec}s, which JDK 17 cannot
     * destroy), and closes the roots {@link #rekey} moved keys to. The store must not be used afterwards.
     */
    public void close() {
        replaced.values().forEach(KeyRoot::close);
        derivedRoots.values().forEach(b -> Arrays.fill(b, (byte) 0));
        derivedRoots.clear();
        cache.values().forEach(Keyring::destroy);
        cache.clear();
    }

    private byte[] encode(String storeId, String keyName, KeyRoot root, KeyringCodec.Data d) {
        return KeyringCodec.encode(storeId, keyName, root, d, random, this::rootMaterial);
    }

    private KeyringCodec.Data decode(String storeId, String keyName, KeyRoot root, RecordLog.Entry entry) {
        return KeyringCodec.decode(storeId, keyName, root, entry.payload(), this::rootMaterial);
    }
}
