package dev.secrets.internal;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.SecretId;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretVersion;
import dev.secrets.StoreUnavailableException;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.cache.SecretCache;
import dev.secrets.internal.record.RecordCodec;
import dev.secrets.internal.repository.SecretRepository;
import dev.secrets.internal.store.AccessTracker;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.SecretsMetrics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The read path: the cache first (a fresh {@code CURRENT} costs one lookup), then the repository;
 * a stale value while the store is unreachable; audit of every read; the metrics listener when
 * there is one; the last-access date. Thread-safe.
 */
public final class SecretReads {
    private final SecretCache cache;
    /** The cache's map of {@code CURRENT} entries and its ticker, held here so that a hit is one hop shorter. */
    private final ConcurrentHashMap<String, SecretCache.Entry> current;
    private final LongSupplier ticker;
    private final SecretRepository repository;
    private final Auditor audit;
    private final AccessTracker access;
    private final SecretsMetrics metrics;
    /** Checked first on the read path, so that a client without metrics pays one field read. */
    private final boolean metered;

    SecretReads(SecretCache cache, SecretRepository repository, Auditor audit, AccessTracker access, SecretsMetrics metrics) {
        this.cache = cache;
        this.current = cache.currentEntries();
        this.ticker = cache.ticker();
        this.repository = repository;
        this.audit = audit;
        this.access = access;
        this.metrics = metrics;
        this.metered = metrics != SecretsMetrics.NONE;
    }

    /** The {@code CURRENT} version of {@code id}: from the cache when fresh, else from the store. */
    public SecretVersion getCurrent(String id) {
        if (metered) {
            return meteredGetCurrent(id);
        }
        SecretCache.Entry e = current.get(id);
        long now = ticker.getAsLong();
        if (e != null && e.isFresh(now) && e.countHit(now)) {
            return e.version();
        }
        return load(GetSecretValueRequest.of(id), e);
    }

    private SecretVersion meteredGetCurrent(String id) {
        long t0 = ticker.getAsLong();
        SecretCache.Entry e = current.get(id);
        boolean hit = e != null && e.isFresh(t0) && e.countHit(t0);
        try {
            SecretVersion v;
            if (hit) {
                v = e.version();
            } else {
                v = load(GetSecretValueRequest.of(id), e);
            }
            metrics.read(id, hit, cache.now() - t0);
            return v;
        } catch (RuntimeException ex) {
            metrics.readFailed(id, ex.getClass().getSimpleName(), cache.now() - t0);
            throw ex;
        }
    }

    SecretVersion get(GetSecretValueRequest req) {
        if (SecretCache.isCurrent(req) && !req.bypassCache()) {
            return getCurrent(req.id());
        }
        if (!metered) {
            return getUncounted(req);
        }
        long t0 = cache.now();
        SecretCache.Entry e = req.bypassCache() ? null : cache.other(req);
        boolean hit = e != null && cache.isServable(req, e, t0);
        try {
            SecretVersion v = getUncounted(req);
            metrics.read(req.id(), hit, cache.now() - t0);
            return v;
        } catch (RuntimeException ex) {
            metrics.readFailed(req.id(), ex.getClass().getSimpleName(), cache.now() - t0);
            throw ex;
        }
    }

    private SecretVersion getUncounted(GetSecretValueRequest req) {
        if (SecretCache.isCurrent(req)) {
            return load(req, null);
        }
        SecretCache.Entry e = req.bypassCache() ? null : cache.other(req);
        long now = cache.now();
        if (e != null && cache.isServable(req, e, now) && e.countHit(now)) {
            return e.version(); // versions are immutable: a version looked up by ID never expires
        }
        return load(req, e);
    }

    private SecretVersion load(GetSecretValueRequest req, SecretCache.Entry stale) {
        SecretId id = SecretId.of(req.id());
        try {
            SecretVersion v = repository.read(id, req.label(), req.versionId());
            // Audit first: when it fails closed, nothing is cached and no access date is written.
            audit.record("secret.read", id.value(), v.versionId(), null);
            cache.put(req, v);
            access.recordAccess(id.value());
            return v;
        } catch (StoreUnavailableException e) {
            if (stale != null && cache.mayServeStale(stale)) {
                cache.refreshLater(req, () -> repository.read(SecretId.of(req.id()), req.label(), req.versionId()));
                audit.record("secret.read", id.value(), stale.version().versionId(), null);
                return stale.version();
            }
            audit.record("secret.read", id.value(), req.versionId(), e);
            throw e;
        } catch (RuntimeException e) {
            audit.record("secret.read", id.value(), req.versionId(), e);
            throw e;
        }
    }

    /**
     * The {@code CURRENT} version of a secret from its latest record as a batch read found it (null: no
     * record): checked, decrypted, audited and cached as a store read is. For {@code internal.read.BatchReader}.
     */
    SecretVersion readListed(SecretId id, RecordLog.Entry latest) {
        try {
            SecretVersion v = repository.openCurrent(id, latest);
            audit.record("secret.read", id.value(), v.versionId(), null);
            cache.put(GetSecretValueRequest.of(id.value()), v);
            access.recordAccess(id.value());
            return v;
        } catch (RecordLog.CorruptRecordException e) {
            SecretTamperedException t = RecordCodec.tampered(id.value(), e);
            audit.record("secret.read", id.value(), null, t);
            throw t;
        } catch (RuntimeException e) {
            audit.record("secret.read", id.value(), null, e);
            throw e;
        }
    }
}
