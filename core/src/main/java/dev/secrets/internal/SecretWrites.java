package dev.secrets.internal;

import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.cache.SecretCache;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.record.VersionHygiene;
import dev.secrets.internal.repository.SecretRepository;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The write path of values, labels and metadata: validates before any I/O, seals values, runs each
 * change through the repository's compare-and-set, drops the secret's cached entries, audits.
 * Thread-safe.
 */
final class SecretWrites {
    private final SecretRepository repository;
    private final SecretCache cache;
    private final Auditor audit;
    private final Clock clock;
    private final int maxVersions;

    /** @param maxVersions most versions a secret keeps ({@code secrets.versions.max}) */
    SecretWrites(SecretRepository repository, SecretCache cache, Auditor audit, Clock clock, int maxVersions) {
        this.repository = repository;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
        this.maxVersions = maxVersions;
    }

    SecretDescription create(CreateSecretRequest req) {
        SecretId id = SecretId.of(req.id());
        String keyName = Validation.keyName(req.keyName());
        Validation.description(req.description());
        Validation.tags(req.tags());
        Validation.token(req.token());
        if (req.value() != null) {
            Validation.valueFitsKind(req.kind(), req.value());
        }
        String versionId = req.token() != null ? req.token() : UUID.randomUUID().toString();
        try {
            audit.preflight(); // before the store identity or a keyring may be created
            repository.keyrings().requireRoot(keyName); // before the store's identity is written: a refused create writes nothing
            String storeId = repository.storeIdForWrite();
            Keyring keyring = repository.keyrings().forWrite(storeId, keyName);
            VersionEntry sealed = req.value() == null ? null : repository.seal(storeId, id.value(), versionId, keyring, req.value());
            SecretRecord r = repository.mutate(id, storeId, existing -> {
                if (existing != null) {
                    if (req.token() != null && existing.version(req.token()) != null
                            && repository.sameValue(existing, existing.version(req.token()), storeId, req.value())) {
                        return null; // a repeat of the same create: nothing to write
                    }
                    throw new InvalidSecretException("secret '" + id + "' already exists"
                            + (existing.deletionDate != null ? " (scheduled for deletion; restore it or wait for the purge)" : ""));
                }
                SecretRecord n = new SecretRecord();
                n.id = id.value();
                n.kind = req.kind().id();
                n.description = req.description();
                n.tags = new LinkedHashMap<>(req.tags());
                n.keyName = keyName;
                String now = clock.instant().toString();
                n.created = now;
                n.lastChanged = now;
                if (sealed != null) {
                    VersionEntry v = sealed.copy();
                    v.created = now;
                    v.labels.add(Label.CURRENT.name());
                    n.versions.add(v);
                    n.lastRotated = now;
                }
                return n;
            });
            cache.invalidate(id.value());
            audit.record("secret.create", id.value(), sealed == null ? null : versionId, null);
            return Descriptions.of(r, null);
        } catch (RuntimeException e) {
            audit.record("secret.create", id.value(), null, e);
            throw e;
        }
    }

    String put(PutSecretValueRequest req) {
        SecretId id = SecretId.of(req.id());
        Validation.token(req.token());
        List<Label> labels = req.labels() == null ? List.of(Label.CURRENT) : req.labels();
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new InvalidSecretException("labels for the new version repeat a label");
        }
        if (labels.size() > Label.MAX_PER_VERSION) {
            throw new InvalidSecretException("a version carries at most " + Label.MAX_PER_VERSION + " labels");
        }
        String versionId = req.token() != null ? req.token() : UUID.randomUUID().toString();
        return audit.audited("secret.write", id.value(), versionId, () -> {
            String storeId = repository.storeIdOf(id);
            // Sealed once, under the master key of the record read; sealed again only if a retry
            // finds the secret moved to another master key meanwhile.
            VersionEntry[] sealed = new VersionEntry[1];
            String[] sealedUnder = new String[1];
            repository.mutate(id, storeId, r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                r.checkNotDeleted(clock.instant());
                VersionEntry same = r.version(versionId);
                if (same != null) {
                    if (req.token() != null && repository.sameValue(r, same, storeId, req.value())) {
                        return null; // idempotent repeat
                    }
                    throw new InvalidSecretException("idempotency token '" + versionId
                            + "' was already used for another value of secret '" + id + "'");
                }
                VersionHygiene.checkExpectedCurrent(r, req);
                Validation.valueFitsKind(SecretKind.of(r.kind), req.value());
                if (sealed[0] == null || !r.keyName.equals(sealedUnder[0])) {
                    sealed[0] = repository.seal(storeId, id.value(), versionId, repository.keyrings().forWrite(storeId, r.keyName),
                            req.value());
                    sealedUnder[0] = r.keyName;
                }
                VersionEntry v = sealed[0].copy();
                String now = clock.instant().toString();
                v.created = now;
                r.versions.add(v);
                for (Label l : labels) {
                    r.attach(v, l);
                }
                r.trimVersions(maxVersions);
                r.lastChanged = now;
                if (labels.contains(Label.CURRENT)) {
                    r.lastRotated = now;
                }
                return r;
            });
            cache.invalidate(id.value());
            return versionId;
        });
    }

    void moveLabel(String idText, Label label, String toVersionId, String expectedFrom) {
        SecretId id = SecretId.of(idText);
        if (toVersionId == null) {
            throw new InvalidSecretException("moving label " + label + " needs the version to move it to");
        }
        audit.auditedRun("label.move", id.value(), toVersionId, () -> {
            repository.mutate(id, repository.storeIdOf(id), r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                r.checkNotDeleted(clock.instant());
                VersionEntry to = r.version(toVersionId);
                if (to == null) {
                    throw new SecretNotFoundException("secret '" + id + "' has no version " + toVersionId);
                }
                VersionHygiene.requireValue(r, to);
                VersionEntry holder = r.labelled(label.name());
                if (expectedFrom != null && holder != null && !holder.id.equals(expectedFrom) && holder != to) {
                    throw new ConflictException("label " + label + " of secret '" + id + "' is on version " + holder.id
                            + ", not on " + expectedFrom);
                }
                if (holder == to) {
                    return null;
                }
                r.attach(to, label);
                r.lastChanged = clock.instant().toString();
                if (label.equals(Label.CURRENT)) {
                    r.lastRotated = r.lastChanged;
                }
                return r;
            });
            cache.invalidate(id.value());
        });
    }

    void removeLabel(String idText, Label label) {
        SecretId id = SecretId.of(idText);
        if (label.equals(Label.CURRENT)) {
            throw new InvalidSecretException("CURRENT cannot be removed, only moved to another version");
        }
        audit.auditedRun("label.remove", id.value(), null, () -> {
            repository.mutate(id, repository.storeIdOf(id), r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                VersionEntry holder = r.labelled(label.name());
                if (holder == null) {
                    return null;
                }
                holder.labels.remove(label.name());
                r.lastChanged = clock.instant().toString();
                return r;
            });
            cache.invalidate(id.value());
        });
    }

    /**
     * Destroys the value of one version (see {@code SecretsClient.destroySecretVersion}); then deletes every
     * older generation of the record, which still holds the ciphertext.
     */
    void destroyVersion(String idText, String versionId) {
        SecretId id = SecretId.of(idText);
        audit.auditedRun("version.destroy", id.value(), versionId, () -> {
            SecretRecord r = repository.mutate(id, repository.storeIdOf(id),
                    rec -> VersionHygiene.destroy(rec, id.value(), versionId, clock.instant()));
            repository.removeOlderThan(id, r.generation);
            cache.invalidate(id.value());
        });
    }

    void updateDescription(String idText, String description) {
        Validation.description(description);
        metadataChange(idText, "secret.update", r -> {
            String d = description == null || description.isEmpty() ? null : description;
            if (Objects.equals(d, r.description)) {
                return null;
            }
            r.description = d;
            return r;
        });
    }

    void tag(String idText, Map<String, String> tags) {
        tags.forEach(Validation::tag);
        metadataChange(idText, "secret.tag", r -> {
            Map<String, String> merged = new LinkedHashMap<>(r.tags);
            merged.putAll(tags);
            Validation.tags(merged);
            if (merged.equals(r.tags)) {
                return null;
            }
            r.tags = merged;
            return r;
        });
    }

    void untag(String idText, Collection<String> keys) {
        metadataChange(idText, "secret.untag", r -> {
            Map<String, String> left = new LinkedHashMap<>(r.tags);
            keys.forEach(left::remove);
            if (left.equals(r.tags)) {
                return null;
            }
            r.tags = left;
            return r;
        });
    }

    /** A change of metadata only: values are untouched, so cached values stay. */
    private void metadataChange(String idText, String action, UnaryOperator<SecretRecord> change) {
        SecretId id = SecretId.of(idText);
        audit.auditedRun(action, id.value(), null, () -> repository.mutate(id, repository.storeIdOf(id), r -> {
            if (r == null) {
                throw SecretRepository.notFound(id);
            }
            SecretRecord n = change.apply(r);
            if (n != null) {
                n.lastChanged = clock.instant().toString();
            }
            return n;
        }));
    }
}
