package dev.secrets.internal.cache;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.SecretVersion;
import dev.secrets.StoreUnavailableException;
import dev.secrets.internal.audit.CachedReadAudit;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The read cache of one client: the {@code CURRENT} version of each secret (the hot path is one
 * lookup in {@link #currentEntries()}, lock-free, no allocation), other labels and versions by ID,
 * a TTL measured with an injected ticker, a size bound, and stale-while-refresh: when the store is
 * unreachable, the caller serves a stale entry and {@link #refreshLater} retries with backoff on the
 * injected {@link RefreshScheduler}. Thread-safe.
 */
public final class SecretCache implements AutoCloseable {
    /** A cached version, the ticker reading when it was loaded, and where its hits are counted for the audit. */
    public static final class Entry {
        private final SecretVersion version;
        private final long loadedAt;
        /** {@code loadedAt} + TTL: a hit compares the ticker with this one field. */
        private final long expiresAt;
        /** Null when the client has no audit sink. */
        private final CachedReadAudit.Counter reads;

        Entry(SecretVersion version, long loadedAt, long ttlNanos, CachedReadAudit.Counter reads) {
            this.version = version;
            this.loadedAt = loadedAt;
            this.expiresAt = loadedAt + ttlNanos; // compared by difference, so a wrap-around is harmless
            this.reads = reads;
        }

        /** Whether this entry is younger than the TTL at ticker reading {@code now}. */
        public boolean isFresh(long now) {
            return now - expiresAt < 0;
        }

        public SecretVersion version() {
            return version;
        }

        /**
         * Counts a read served from this entry at ticker reading {@code now}, for the audit; false when
         * it cannot be counted (the audit refuses) and the read must go the uncached, audited way.
         */
        public boolean countHit(long now) {
            return reads == null || reads.hit(now);
        }
    }

    private final LongSupplier ticker;
    private final long ttlNanos;
    private final int maxSize;
    private final RefreshScheduler scheduler;
    private final BiFunction<String, String, CachedReadAudit.Counter> counters;
    private final long staleMaxAgeNanos;
    /** CURRENT of each secret: the hot path is one lookup here. */
    private final ConcurrentHashMap<String, Entry> current = new ConcurrentHashMap<>();
    /** Other labels and explicit versions, by {@code id \0 L:label} / {@code id \0 V:versionId}. */
    private final ConcurrentHashMap<String, Entry> others = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    /** @param counters where the hits of a (secret ID, version ID) are counted for the audit; may return null (no audit) */
    public SecretCache(LongSupplier ticker, Duration ttl, int maxSize, RefreshScheduler scheduler,
                       BiFunction<String, String, CachedReadAudit.Counter> counters, Duration staleMaxAge) {
        this.staleMaxAgeNanos = staleMaxAge.toNanos();
        this.ticker = ticker;
        this.ttlNanos = ttl.toNanos();
        this.maxSize = maxSize;
        this.scheduler = scheduler;
        this.counters = counters;
    }

    /** The ticker this cache measures freshness with (nanoseconds). */
    public long now() {
        return ticker.getAsLong();
    }

    /**
     * Whether stale {@code e} may still stand in while the store fails: a stale value outlives the
     * store's failure for a bounded time only, so that a store kept failing does not keep a revoked
     * credential in use for ever.
     */
    public boolean mayServeStale(Entry e) {
        return ticker.getAsLong() - e.loadedAt <= staleMaxAgeNanos;
    }

    /** Drops every entry (the roots changed). */
    public void clear() {
        current.clear();
        others.clear();
    }

    /**
     * The map of cached {@code CURRENT} entries by secret ID, for the read path's hit check only (a
     * hit is one lookup here, without a hop through this object or a wrapper). Callers only read it.
     */
    public ConcurrentHashMap<String, Entry> currentEntries() {
        return current;
    }

    /** The ticker this cache measures freshness with. */
    public LongSupplier ticker() {
        return ticker;
    }

    /** The cached entry for a request by label or version ID, fresh or not; null when none. */
    public Entry other(GetSecretValueRequest req) {
        return others.get(key(req));
    }

    /** Whether {@code e}, cached for {@code req}, may be served: versions are immutable, so one asked for by ID never expires. */
    public boolean isServable(GetSecretValueRequest req, Entry e, long now) {
        return req.versionId() != null || e.isFresh(now);
    }

    /** Whether {@code req} asks for {@code CURRENT} by label (explicitly or by default). */
    public static boolean isCurrent(GetSecretValueRequest req) {
        return req.versionId() == null && (req.label() == null || req.label().equals(Label.CURRENT));
    }

    private static String key(GetSecretValueRequest req) {
        return req.versionId() != null ? req.id() + "\0V:" + req.versionId() : req.id() + "\0L:" + req.label().name();
    }

    /** Caches {@code v} as read for {@code req}, also by its version ID. */
    public void put(GetSecretValueRequest req, SecretVersion v) {
        Entry entry = new Entry(v, ticker.getAsLong(), ttlNanos, counters.apply(req.id(), v.versionId()));
        if (isCurrent(req)) {
            current.put(req.id(), entry);
        } else {
            others.put(key(req), entry);
        }
        others.put(req.id() + "\0V:" + v.versionId(), entry);
        trim();
    }

    /**
     * Keeps at most {@code maxSize} secrets' current values and at most {@code maxSize} other entries
     * (versions by ID or label; a read of a current value also indexes it by version ID, sharing the
     * same object). Evicts arbitrary entries — hash order is close to random — until within the bounds.
     */
    private void trim() {
        trim(others);
        trim(current);
    }

    private void trim(Map<String, Entry> map) {
        if (map.size() <= maxSize) {
            return;
        }
        Iterator<String> it = map.keySet().iterator();
        while (map.size() > maxSize && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** Drops every entry of secret {@code id}. */
    public void invalidate(String id) {
        current.remove(id);
        String prefix = id + "\0";
        others.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /**
     * Reloads the entry of {@code req} in the background with {@code loader}, retrying with
     * exponential backoff (0.5 s doubling to 60 s, plus up to a quarter of jitter) while the store
     * is unavailable; on any other error the secret's entries are dropped, so that the next read
     * reports it. One refresh per entry at a time.
     */
    public void refreshLater(GetSecretValueRequest req, Supplier<SecretVersion> loader) {
        String key = req.id() + "\0" + key(req.label() == null && req.versionId() == null ? req.withLabel(Label.CURRENT) : req);
        if (!refreshing.add(key)) {
            return;
        }
        refresh(req, loader, key, 0);
    }

    private void refresh(GetSecretValueRequest req, Supplier<SecretVersion> loader, String key, int attempt) {
        long delayMs = Math.min(60_000L, 500L << Math.min(attempt, 7));
        delayMs += ThreadLocalRandom.current().nextLong(delayMs / 4 + 1);
        scheduler.schedule(() -> {
            try {
                put(req, loader.get());
                refreshing.remove(key);
            } catch (StoreUnavailableException e) {
                refresh(req, loader, key, attempt + 1);
            } catch (RuntimeException e) {
                // The store answered, with an error (deleted, tampered…): drop the stale value; the next read reports it.
                invalidate(req.id());
                refreshing.remove(key);
            }
        }, delayMs);
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
