package dev.secrets.internal;

import dev.secrets.InvalidSecretException;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretTamperedException;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.cache.SecretCache;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.repository.SecretRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Deletion and its undoing: scheduled deletion with a recovery window, restore, force delete and
 * the purge of secrets past their window. A deleted secret leaves a tombstone generation, so that a
 * writer still holding an older generation cannot bring it back. Thread-safe.
 */
final class SecretLifecycle {
    private final SecretRepository repository;
    private final SecretCatalog catalog;
    private final SecretCache cache;
    private final Auditor audit;
    private final Clock clock;

    SecretLifecycle(SecretRepository repository, SecretCatalog catalog, SecretCache cache, Auditor audit, Clock clock) {
        this.repository = repository;
        this.catalog = catalog;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
    }

    Instant delete(String idText, int recoveryDays) {
        SecretId id = SecretId.of(idText);
        if (recoveryDays < 7 || recoveryDays > 30) {
            throw new InvalidSecretException("recovery window is " + recoveryDays + " days; it must be 7 to 30");
        }
        return audit.audited("secret.delete", id.value(), null, () -> {
            Instant[] when = new Instant[1];
            repository.mutate(id, repository.storeIdOf(id), r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                if (r.deletionDate != null) {
                    when[0] = Instant.parse(r.deletionDate);
                    return null; // already scheduled: keep the first date
                }
                Instant now = clock.instant();
                when[0] = now.plus(recoveryDays, ChronoUnit.DAYS);
                r.deletionDate = when[0].toString();
                r.lastChanged = now.toString();
                return r;
            });
            cache.invalidate(id.value());
            return when[0];
        });
    }

    void forceDelete(String idText) {
        SecretId id = SecretId.of(idText);
        audit.auditedRun("secret.delete.force", id.value(), null, () -> {
            tombstone(id, repository.storeIdOf(id), true);
            cache.invalidate(id.value());
        });
    }

    private void tombstone(SecretId id, String storeId, boolean mustExist) {
        repository.mutate(id, storeId, r -> {
            if (r == null) {
                if (mustExist) {
                    throw SecretRepository.notFound(id);
                }
                return null;
            }
            SecretRecord t = new SecretRecord();
            t.id = r.id;
            t.kind = r.kind;
            t.keyName = r.keyName;
            t.tombstone = true;
            t.created = r.created;
            t.lastChanged = clock.instant().toString();
            return t;
        });
    }

    void restore(String idText) {
        SecretId id = SecretId.of(idText);
        audit.auditedRun("secret.restore", id.value(), null, () -> {
            repository.mutate(id, repository.storeIdOf(id), r -> {
                if (r == null) {
                    throw SecretRepository.notFound(id);
                }
                if (r.deletionDate == null) {
                    return null;
                }
                if (!clock.instant().isBefore(Instant.parse(r.deletionDate))) {
                    throw new SecretNotFoundException("secret '" + id + "' was deleted on " + r.deletionDate + " and cannot be restored");
                }
                r.deletionDate = null;
                r.lastChanged = clock.instant().toString();
                return r;
            });
            cache.invalidate(id.value());
        });
    }

    /** Purges every secret past its deletion date that this client holds the key of; returns how many. */
    int purgeExpired() {
        Optional<String> storeId = repository.storeId();
        if (storeId.isEmpty()) {
            return 0;
        }
        int purged = 0;
        Instant now = clock.instant();
        for (SecretDescription d : catalog.allSecrets(true)) {
            if (d.deletionDate() != null && !now.isBefore(d.deletionDate())) {
                try {
                    tombstone(d.id(), storeId.get(), false);
                    cache.invalidate(d.id().value());
                    audit.record("secret.purge", d.id().value(), null, null);
                    purged++;
                } catch (MissingMasterKeyException | SecretTamperedException e) {
                    // Another team's secret (theirs to purge), or a damaged one: the others are purged all the same.
                    audit.record("secret.purge", d.id().value(), null, e);
                }
            }
        }
        return purged;
    }
}
