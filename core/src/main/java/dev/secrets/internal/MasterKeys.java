package dev.secrets.internal;

import dev.secrets.MasterKeyDescription;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretsException;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.store.StoreIdentity;
import dev.secrets.spi.KeyRoot;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Administration of master keys beyond rotation and re-wrap: moving a key to a new root (rekey),
 * retiring a key version, and describing keys with their provider scheme and versions. Each change
 * is audited ({@code key.rekey}, {@code key.retire}; for {@code key.retire} the event's version
 * field is the key version retired). Thread-safe.
 */
public final class MasterKeys {
    private final SecretsEngine engine;
    private final KeyringStore keyrings;
    private final StoreIdentity identity;
    private final Function<SecretId, SecretRecord> records;
    private final Runnable preflight;
    private final Runnable clearCache;

    MasterKeys(SecretsEngine engine, KeyringStore keyrings, StoreIdentity identity, Function<SecretId, SecretRecord> records,
               Runnable preflight, Runnable clearCache) {
        this.engine = engine;
        this.keyrings = keyrings;
        this.identity = identity;
        this.records = records;
        this.preflight = preflight;
        this.clearCache = clearCache;
    }

    /**
     * Re-encrypts every version of master key {@code keyName} under {@code to}; afterwards the old
     * root opens nothing in the store. Needs the old root (configured as usual), or only {@code to}
     * to finish a rekey that was interrupted. Returns the number of key versions moved.
     */
    public int rekey(String keyName, KeyRoot to) {
        Validation.keyName(keyName);
        try {
            preflight.run();
            String storeId = existingStore();
            int n = keyrings.rekey(storeId, keyName, to);
            clearCache.run();
            engine.audit("key.rekey", null, null, keyName, null);
            return n;
        } catch (RuntimeException e) {
            engine.audit("key.rekey", null, null, keyName, e);
            throw e;
        }
    }

    /**
     * Retires version {@code version} of {@code keyName}: its material is destroyed, so data keys
     * still under it can never be unwrapped again. Unless {@code force}, refuses while any value
     * is still under it (naming how many and where), so that `rewrap` comes first.
     */
    public MasterKeyDescription retire(String keyName, int version, boolean force) {
        Validation.keyName(keyName);
        String event = String.valueOf(version);
        try {
            preflight.run();
            String storeId = existingStore();
            if (!force) {
                List<String> still = secretsUnder(keyName, version);
                if (!still.isEmpty()) {
                    throw new SecretsException(still.size() + " secret(s) still have values under version " + version
                            + " of master key '" + keyName + "' (" + String.join(", ", still.subList(0, Math.min(5, still.size())))
                            + (still.size() > 5 ? ", …" : "") + "); run `secrets rewrap` first, or retire with --force to make them unreadable");
                }
            }
            keyrings.retire(storeId, keyName, version);
            clearCache.run();
            engine.audit("key.retire", null, event, keyName, null);
            return keyrings.describe(storeId, keyName);
        } catch (RuntimeException e) {
            engine.audit("key.retire", null, event, keyName, e);
            throw e;
        }
    }

    /** The secrets with at least one value whose data key is wrapped by {@code version} of {@code keyName}. */
    public List<String> secretsUnder(String keyName, int version) {
        List<String> out = new ArrayList<>();
        for (SecretDescription d : engine.allSecrets(true)) {
            if (!d.keyName().equals(keyName)) {
                continue;
            }
            SecretRecord r = records.apply(d.id());
            if (r != null && r.keyName.equals(keyName)) {
                for (VersionEntry v : r.versions) {
                    if (v.keyVersion == version) {
                        out.add(d.id().value());
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Master key {@code keyName} with its provider scheme and versions (needs this client's root). */
    public MasterKeyDescription describe(String keyName) {
        Validation.keyName(keyName);
        return keyrings.describe(existingStore(), keyName);
    }

    /** The provider scheme recorded in {@code keyName}'s keyring, readable without its root. */
    public String providerOf(String keyName) {
        return keyrings.storedScheme(keyName).orElse("none");
    }

    /** The names of the master keys that have a keyring in the store, sorted. */
    public List<String> names() {
        ObjectStore store = engine.store();
        TreeSet<String> names = new TreeSet<>();
        String after = null;
        while (true) {
            ListPage page = store.list("keys/", after, 1000);
            for (String k : page.keys()) {
                int slash = k.indexOf('/', "keys/".length());
                if (slash > 0) {
                    names.add(k.substring("keys/".length(), slash));
                }
                after = k;
            }
            if (!page.truncated() || page.keys().isEmpty()) {
                return List.copyOf(names);
            }
        }
    }

    private String existingStore() {
        return identity.existing().orElseThrow(() -> new SecretsException("the store " + engine.location()
                + " is empty: nothing has been written to it yet"));
    }
}
