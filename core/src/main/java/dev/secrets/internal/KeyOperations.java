package dev.secrets.internal;

import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretTamperedException;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.cache.SecretCache;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.repository.SecretRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Operations on master keys: initialize a store for a key, rotate a key (a new keyring version),
 * re-wrap every data key under a key's newest version, and move a secret to another key. Values are
 * never re-encrypted, only their data keys. Thread-safe.
 */
final class KeyOperations {
    private final SecretRepository repository;
    private final SecretCatalog catalog;
    private final SecretCache cache;
    private final Auditor audit;
    private final Clock clock;

    KeyOperations(SecretRepository repository, SecretCatalog catalog, SecretCache cache, Auditor audit, Clock clock) {
        this.repository = repository;
        this.catalog = catalog;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
    }

    private KeyringStore keyrings() {
        return repository.keyrings();
    }

    /**
     * Creates the store's identity and the keyring of {@code keyName} when they do not exist yet,
     * and proves that this client's root opens the keyring. Idempotent. Returns the store ID.
     */
    String initialize(String keyName) {
        Validation.keyName(keyName);
        return audit.audited("store.init", null, null, keyName, () -> {
            audit.preflight();
            keyrings().requireRoot(keyName);
            String storeId = repository.storeIdForWrite();
            keyrings().forWrite(storeId, keyName);
            return storeId;
        });
    }

    int rotateMasterKey(String keyName) {
        Validation.keyName(keyName);
        return audit.audited("key.rotate", null, null, keyName, () -> {
            audit.preflight();
            keyrings().requireRoot(keyName);
            return keyrings().rotate(repository.storeIdForWrite(), keyName).primary().number();
        });
    }

    int rewrap(String keyName, BiConsumer<Integer, Integer> progress) {
        Validation.keyName(keyName);
        String storeId = repository.storeId().orElse(null);
        if (storeId == null) {
            return 0;
        }
        List<SecretDescription> all = catalog.allSecrets(true);
        List<String> damaged = new ArrayList<>();
        int done = 0;
        int rewrapped = 0;
        for (SecretDescription d : all) {
            if (d.keyName().equals(keyName)) {
                int n;
                try {
                    n = rewrapOne(d.id(), storeId, keyName);
                } catch (SecretTamperedException e) {
                    // One damaged secret must not stop the re-wrap of every other: reported at the end.
                    audit.record("key.rewrap", d.id().value(), null, keyName, e);
                    damaged.add(d.id().value());
                    n = -1;
                } catch (RuntimeException e) {
                    audit.record("key.rewrap", d.id().value(), null, keyName, e);
                    throw e;
                }
                if (n >= 0) {
                    rewrapped += n;
                    // Outside the try: a refused success event is not also recorded as a failure of this secret's re-wrap.
                    audit.record("key.rewrap", d.id().value(), null, keyName, null);
                }
            }
            done++;
            if (progress != null) {
                progress.accept(done, all.size());
            }
        }
        if (!damaged.isEmpty()) {
            throw new SecretTamperedException("re-wrapped " + rewrapped + " data keys under master key '" + keyName
                    + "'; these secrets are damaged or were altered and were left as they are: " + String.join(", ", damaged));
        }
        return rewrapped;
    }

    private int rewrapOne(SecretId id, String storeId, String keyName) {
        int[] count = new int[1];
        repository.mutate(id, storeId, r -> {
            if (r == null || !r.keyName.equals(keyName)) {
                return null;
            }
            Keyring k = keyrings().get(storeId, keyName, 1);
            // The keyring may have been rotated by another process since it was cached.
            Keyring fresh = keyrings().get(storeId, keyName, k.primary().number());
            Keyring.Version to = fresh.primary();
            count[0] = 0;
            for (VersionEntry v : r.versions) {
                if (v.keyVersion != to.number() && v.destroyed == null) {
                    Keyring.Version from = repository.keyVersion(storeId, keyName, v.keyVersion, r.id);
                    repository.rewrap(v, storeId, r.id, from, to, " of its data key during re-wrap");
                    count[0]++;
                }
            }
            return count[0] == 0 ? null : r;
        });
        return count[0];
    }

    void moveToKey(String idText, String newKeyName) {
        SecretId id = SecretId.of(idText);
        Validation.keyName(newKeyName);
        audit.audited("secret.move-key", id.value(), null, newKeyName, () -> {
            audit.preflight(); // before the target keyring may be created
            String storeId = repository.storeIdOf(id);
            Keyring target = keyrings().forWrite(storeId, newKeyName);
            repository.mutate(id, storeId, r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                if (r.keyName.equals(newKeyName)) {
                    return null;
                }
                for (VersionEntry v : r.versions) {
                    if (v.destroyed != null) {
                        continue;
                    }
                    Keyring.Version from = repository.keyVersion(storeId, r.keyName, v.keyVersion, r.id);
                    repository.rewrap(v, storeId, r.id, from, target.primary(), "");
                }
                r.keyName = newKeyName;
                r.lastChanged = clock.instant().toString();
                return r;
            });
            cache.invalidate(id.value());
            repository.pins().moved(id.value(), newKeyName);
            return null;
        });
    }
}
