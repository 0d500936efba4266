package dev.secrets.internal;

import dev.secrets.AuditFailedException;
import dev.secrets.ConflictException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.Page;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.RotationDescription;
import dev.secrets.RotationStatus;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.VersionDescription;
import dev.secrets.internal.audit.CachedReadAudit;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Envelope;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.record.RecordCodec;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.rotation.RotationEngine;
import dev.secrets.internal.rotation.RotationTiming;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.internal.store.StoreIdentity;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.KeyRoot;
import dev.secrets.spi.ListPage;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The implementation behind {@link dev.secrets.SecretsClient}: validation, the record
 * compare-and-set loop, envelope encryption, the cache and audit. One per client; thread-safe.
 *
 * <p>Public for the other parts of this library (rotation, CLI); not an API for applications.
 */
public final class SecretsEngine implements AutoCloseable {
    /** Most versions a secret keeps. */
    public static final int MAX_VERSIONS = 100;
    private static final int WRITE_ATTEMPTS = 200;
    private static final String SECRETS = "secrets/";

    private final ObjectStore store;
    private final RecordLog log;
    private final KeyPins pins;
    /** How long a stale value may stand in while the store fails; default 24 h. */
    private final long staleMaxAgeNanos;
    private static final Duration DEFAULT_STALE_MAX_AGE = Duration.ofHours(24);
    private final StoreIdentity identity;
    private final KeyringStore keyrings;
    private final Map<String, KeyRoot> roots;
    private final MasterKeys masterKeys;
    private final Clock clock;
    private final LongSupplier ticker;
    private final SecureRandom random;
    private final long ttlNanos;
    private final int maxSize;
    private final String principal;
    private final List<AuditSink> sinks;
    private final boolean auditing;
    /** Audits cache hits off the read's path; null when not auditing. */
    private final CachedReadAudit cachedReads;
    private final SecretsConfig config;
    private final SecretsMetrics metrics;
    private final int maxVersions;
    /** Checked first on the read path, so that a client without metrics pays one field read. */
    private final boolean metered;

    /** CURRENT of each secret: the hot path is one lookup here. */
    private final ConcurrentHashMap<String, CacheEntry> current = new ConcurrentHashMap<>();
    /** Other labels and explicit versions, by {@code id \0 L:label} / {@code id \0 V:versionId}. */
    private final ConcurrentHashMap<String, CacheEntry> others = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final Map<String, LocalDate> accessRecorded = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService refresher;

    private static final class CacheEntry {
        final SecretVersion version;
        final long loadedAt;
        /** Where a hit counts itself for the audit; null when the client has no audit sink. */
        final CachedReadAudit.Counter reads;

        CacheEntry(SecretVersion version, long loadedAt, CachedReadAudit.Counter reads) {
            this.version = version;
            this.loadedAt = loadedAt;
            this.reads = reads;
        }
    }

    public SecretsEngine(ObjectStore store, Map<String, ? extends KeyRoot> roots, Clock clock, LongSupplier ticker, SecureRandom random,
                         Duration ttl, int maxSize, String principal, List<AuditSink> sinks, SecretsConfig config) {
        this(store, roots, clock, ticker, random, ttl, maxSize, principal, sinks, config, SecretsMetrics.NONE);
    }

    public SecretsEngine(ObjectStore store, Map<String, ? extends KeyRoot> roots, Clock clock, LongSupplier ticker, SecureRandom random,
                         Duration ttl, int maxSize, String principal, List<AuditSink> sinks, SecretsConfig config,
                         SecretsMetrics metrics) {
        this.metrics = metrics == null ? SecretsMetrics.NONE : metrics;
        this.metered = this.metrics != SecretsMetrics.NONE;
        this.store = store;
        this.roots = Map.copyOf(new java.util.HashMap<String, KeyRoot>(roots));
        this.clock = clock;
        this.ticker = ticker;
        this.random = random;
        this.ttlNanos = ttl.toNanos();
        this.maxSize = maxSize;
        this.principal = principal;
        this.sinks = List.copyOf(sinks);
        this.auditing = !this.sinks.isEmpty();
        this.cachedReads = auditing ? new CachedReadAudit(this.sinks, principal, clock, ticker, this.metrics,
                config == null ? CachedReadAudit.DEFAULT_INTERVAL
                        : config.duration(SecretsConfig.AUDIT_CACHED_READS_INTERVAL, CachedReadAudit.DEFAULT_INTERVAL)) : null;
        this.config = config;
        this.maxVersions = VersionHygiene.maxVersions(config);
        this.log = new RecordLog(store, random);
        this.pins = KeyPins.from(config);
        this.staleMaxAgeNanos = (config == null ? DEFAULT_STALE_MAX_AGE
                : config.duration(SecretsConfig.CACHE_STALE_MAX_AGE, DEFAULT_STALE_MAX_AGE)).toNanos();
        this.identity = new StoreIdentity(store, clock);
        this.keyrings = new KeyringStore(log, name -> Optional.ofNullable(this.roots.get(name)), random, clock);
        this.masterKeys = new MasterKeys(this, keyrings, identity, this::loadAnyKey, this::auditPreflight, this::clearCache);
    }

    /** Rekey, retire and description of master keys. */
    public MasterKeys masterKeys() {
        return masterKeys;
    }

    private void clearCache() {
        current.clear();
        others.clear();
    }

    public String location() {
        return store.location();
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    public SecretsConfig config() {
        return config;
    }

    public ObjectStore store() {
        return store;
    }

    /** The store's identity, empty while nothing was ever written to it. */
    public Optional<String> storeId() {
        return identity.existing();
    }

    /** The metrics listener of this client ({@link SecretsMetrics#NONE} when none): the rotation engine reports outcomes to it. */
    public SecretsMetrics metrics() {
        return metrics;
    }

    /** One request to the store past every cache: its identity object (absent is still reachable). Audited. */
    public void checkStore() {
        try {
            store.get(StoreIdentity.KEY);
            audit("store.check", null, null, null);
        } catch (RuntimeException e) {
            audit("store.check", null, null, e);
            throw e;
        }
    }

    // ================================================================ reads

    public SecretVersion getCurrent(String id) {
        if (metered) {
            return meteredGetCurrent(id);
        }
        CacheEntry e = current.get(id);
        long now = ticker.getAsLong();
        if (e != null && now - e.loadedAt < ttlNanos && (!auditing || e.reads.hit(now))) {
            return e.version;
        }
        return load(GetSecretValueRequest.of(id), e);
    }

    private SecretVersion meteredGetCurrent(String id) {
        long t0 = ticker.getAsLong();
        CacheEntry e = current.get(id);
        boolean hit = e != null && t0 - e.loadedAt < ttlNanos && (!auditing || e.reads.hit(t0));
        try {
            SecretVersion v;
            if (hit) {
                v = e.version;
            } else {
                v = load(GetSecretValueRequest.of(id), e);
            }
            metrics.read(id, hit, ticker.getAsLong() - t0);
            return v;
        } catch (RuntimeException ex) {
            metrics.readFailed(id, ex.getClass().getSimpleName(), ticker.getAsLong() - t0);
            throw ex;
        }
    }

    public SecretVersion get(GetSecretValueRequest req) {
        if (req.versionId() == null && (req.label() == null || req.label().equals(Label.CURRENT)) && !req.bypassCache()) {
            return getCurrent(req.id());
        }
        if (!metered) {
            return getUncounted(req);
        }
        long t0 = ticker.getAsLong();
        CacheEntry e = req.bypassCache() ? null : others.get(cacheKey(req));
        boolean hit = e != null && (req.versionId() != null || t0 - e.loadedAt < ttlNanos);
        try {
            SecretVersion v = getUncounted(req);
            metrics.read(req.id(), hit, ticker.getAsLong() - t0);
            return v;
        } catch (RuntimeException ex) {
            metrics.readFailed(req.id(), ex.getClass().getSimpleName(), ticker.getAsLong() - t0);
            throw ex;
        }
    }

    private SecretVersion getUncounted(GetSecretValueRequest req) {
        if (req.versionId() == null && (req.label() == null || req.label().equals(Label.CURRENT))) {
            return load(req, null);
        }
        String key = cacheKey(req);
        CacheEntry e = req.bypassCache() ? null : others.get(key);
        long now = ticker.getAsLong();
        if (e != null && (req.versionId() != null || now - e.loadedAt < ttlNanos) && (!auditing || e.reads.hit(now))) {
            return e.version; // versions are immutable: a version looked up by ID never expires
        }
        return load(req, e);
    }

    private static String cacheKey(GetSecretValueRequest req) {
        return req.versionId() != null ? req.id() + "\0V:" + req.versionId() : req.id() + "\0L:" + req.label().name();
    }

    private SecretVersion load(GetSecretValueRequest req, CacheEntry stale) {
        SecretId id = SecretId.of(req.id());
        try {
            SecretVersion v = readFromStore(id, req.label(), req.versionId());
            // Audit first: when it fails closed, nothing is cached and no access date is written.
            audit("secret.read", id.value(), v.versionId(), null);
            cachePut(req, v);
            recordAccess(id.value());
            return v;
        } catch (StoreUnavailableException e) {
            // A stale value outlives the store's failure for a bounded time only: a store kept failing
            // must not keep a revoked credential in use for ever.
            if (stale != null && ticker.getAsLong() - stale.loadedAt <= staleMaxAgeNanos) {
                scheduleRefresh(req);
                audit("secret.read", id.value(), stale.version.versionId(), null);
                return stale.version;
            }
            audit("secret.read", id.value(), req.versionId(), e);
            throw e;
        } catch (RuntimeException e) {
            audit("secret.read", id.value(), req.versionId(), e);
            throw e;
        }
    }

    private void cachePut(GetSecretValueRequest req, SecretVersion v) {
        CacheEntry entry = new CacheEntry(v, ticker.getAsLong(), auditing ? cachedReads.counter(req.id(), v.versionId()) : null);
        if (req.versionId() == null && (req.label() == null || req.label().equals(Label.CURRENT))) {
            current.put(req.id(), entry);
        } else {
            others.put(cacheKey(req), entry);
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

    private void trim(Map<String, CacheEntry> map) {
        if (map.size() <= maxSize) {
            return;
        }
        Iterator<String> it = map.keySet().iterator();
        while (map.size() > maxSize && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void invalidate(String id) {
        current.remove(id);
        String prefix = id + "\0";
        others.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private void scheduleRefresh(GetSecretValueRequest req) {
        String key = req.id() + "\0" + cacheKey(req.label() == null && req.versionId() == null ? req.withLabel(Label.CURRENT) : req);
        if (!refreshing.add(key)) {
            return;
        }
        refresh(req, key, 0);
    }

    private void refresh(GetSecretValueRequest req, String key, int attempt) {
        long delayMs = Math.min(60_000L, 500L << Math.min(attempt, 7));
        delayMs += ThreadLocalRandom.current().nextLong(delayMs / 4 + 1);
        refresher().schedule(() -> {
            try {
                SecretVersion v = readFromStore(SecretId.of(req.id()), req.label(), req.versionId());
                cachePut(req, v);
                refreshing.remove(key);
            } catch (StoreUnavailableException e) {
                refresh(req, key, attempt + 1);
            } catch (RuntimeException e) {
                // The store answered, with an error (deleted, tampered…): drop the stale value; the next read reports it.
                invalidate(req.id());
                refreshing.remove(key);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private ScheduledExecutorService refresher() {
        ScheduledExecutorService r = refresher;
        if (r == null) {
            synchronized (this) {
                r = refresher;
                if (r == null) {
                    r = Executors.newSingleThreadScheduledExecutor(task -> {
                        Thread t = new Thread(task, "secrets-cache-refresh");
                        t.setDaemon(true);
                        return t;
                    });
                    refresher = r;
                }
            }
        }
        return r;
    }

    private SecretVersion readFromStore(SecretId id, Label label, String versionId) {
        Loaded l = loadVerified(id);
        SecretRecord r = l.record;
        if (r == null) {
            throw notFound(id);
        }
        checkNotDeleted(r);
        VersionEntry v;
        if (versionId != null) {
            v = r.version(versionId);
            if (v == null) {
                throw new SecretNotFoundException("secret '" + id + "' has no version " + versionId);
            }
        } else {
            Label want = label == null ? Label.CURRENT : label;
            v = r.labelled(want.name());
            if (v == null) {
                throw new SecretNotFoundException("secret '" + id + "' has no version labelled " + want);
            }
        }
        return open(r, v, l.storeId);
    }

    private SecretVersion open(SecretRecord r, VersionEntry v, String storeId) {
        VersionHygiene.requireValue(r, v);
        Keyring.Version key = keyVersion(storeId, r.keyName, v.keyVersion, r.id);
        SecretValue value;
        try {
            value = Envelope.open(v, storeId, r.id, key);
        } catch (Aead.DecryptionFailedException e) {
            throw new SecretTamperedException("secret '" + r.id + "' version " + v.id
                    + " failed decryption: its ciphertext or data key was altered or moved from elsewhere", e);
        }
        Set<Label> labels = new LinkedHashSet<>();
        v.labels.forEach(n -> labels.add(Label.of(n)));
        return new SecretVersion(SecretId.of(r.id), v.id, labels, Instant.parse(v.created), value);
    }

    private Keyring.Version keyVersion(String storeId, String keyName, int version, String secretId) {
        Keyring k = keyrings.get(storeId, keyName, version);
        Keyring.Version kv = k.version(version);
        if (kv == null) {
            throw new SecretTamperedException("secret '" + secretId + "' names version " + version + " of master key '" + keyName
                    + "', which its keyring does not have");
        }
        return kv;
    }

    private void checkNotDeleted(SecretRecord r) {
        if (r.deletionDate != null) {
            Instant when = Instant.parse(r.deletionDate);
            if (!clock.instant().isBefore(when)) {
                throw new SecretNotFoundException("secret '" + r.id + "' was deleted on " + when);
            }
            throw new SecretScheduledForDeletionException(r.id, when);
        }
    }

    private static SecretNotFoundException notFound(SecretId id) {
        return new SecretNotFoundException("secret '" + id + "' does not exist");
    }

    /** A record as read, verified; {@code record} is null when the secret does not exist (or is a tombstone). */
    private static final class Loaded {
        final RecordLog.Entry entry;
        final SecretRecord record;
        final String storeId;

        Loaded(RecordLog.Entry entry, SecretRecord record, String storeId) {
            this.entry = entry;
            this.record = record;
            this.storeId = storeId;
        }
    }

    private Loaded loadVerified(SecretId id) {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return new Loaded(null, null, null);
        }
        Optional<RecordLog.Entry> e;
        try {
            e = log.read(SECRETS + id.value());
        } catch (RecordLog.CorruptRecordException ex) {
            throw RecordCodec.tampered(id.value(), ex);
        }
        if (e.isEmpty()) {
            return new Loaded(null, null, storeId.get());
        }
        SecretRecord r = RecordCodec.decode(id.value(), e.get().generation(), e.get().payload(), storeId.get(), (name, version) -> {
            pins.check(id.value(), name); // before anything is verified under that key
            return keyVersion(storeId.get(), name, version, id.value());
        });
        pins.verified(id.value(), r.keyName);
        log.confirm(SECRETS + id.value(), e.get().generation());
        return new Loaded(e.get(), r.tombstone ? null : r, storeId.get());
    }

    private SecretRecord loadAnyKey(SecretId id) {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return null;
        }
        Optional<RecordLog.Entry> e;
        try {
            e = log.read(SECRETS + id.value());
        } catch (RecordLog.CorruptRecordException ex) {
            throw RecordCodec.tampered(id.value(), ex);
        }
        return e.map(entry -> decodeForListing(id.value(), entry.generation(), entry.payload(), storeId.get())).orElse(null);
    }

    /** Verified when this client holds the key; otherwise parsed for its (value-free) metadata. */
    private SecretRecord decodeForListing(String id, long generation, byte[] payload, String storeId) {
        RecordCodec.Header h = RecordCodec.header(id, payload);
        SecretRecord r;
        if (roots.containsKey(h.keyName())) {
            r = RecordCodec.decode(id, generation, payload, storeId, (name, version) -> keyVersion(storeId, name, version, id));
            log.confirm(SECRETS + id, generation);
        } else {
            r = RecordCodec.decodeUnverified(id, payload);
        }
        return r.tombstone ? null : r;
    }

    /**
     * The {@code CURRENT} version of a secret from its latest record as a batch read found it (null: no
     * record): checked, decrypted, audited and cached as a store read is. For {@code internal.read.BatchReader}.
     */
    public SecretVersion readListed(SecretId id, RecordLog.Entry latest) {
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            SecretRecord r = latest == null ? null : RecordCodec.decode(id.value(), latest.generation(), latest.payload(), storeId,
                    (name, version) -> keyVersion(storeId, name, version, id.value()));
            if (r == null || r.tombstone) {
                throw notFound(id);
            }
            checkNotDeleted(r);
            VersionEntry v = r.labelled(Label.CURRENT.name());
            if (v == null) {
                throw new SecretNotFoundException("secret '" + id + "' has no version labelled " + Label.CURRENT);
            }
            SecretVersion sv = open(r, v, storeId);
            audit("secret.read", id.value(), sv.versionId(), null);
            cachePut(GetSecretValueRequest.of(id.value()), sv);
            recordAccess(id.value());
            return sv;
        } catch (RecordLog.CorruptRecordException e) {
            SecretTamperedException t = RecordCodec.tampered(id.value(), e);
            audit("secret.read", id.value(), null, t);
            throw t;
        } catch (RuntimeException e) {
            audit("secret.read", id.value(), null, e);
            throw e;
        }
    }

    /**
     * Destroys the value of one version (see {@code SecretsClient.destroySecretVersion}); then deletes every
     * older generation of the record, which still holds the ciphertext, and checks that none is left.
     */
    public void destroyVersion(String idText, String versionId) {
        SecretId id = SecretId.of(idText);
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            SecretRecord r = mutate(id, storeId, rec -> VersionHygiene.destroy(rec, id.value(), versionId, clock.instant()));
            log.removeOlderThan(SECRETS + id.value(), r.generation);
            invalidate(id.value());
            audit("version.destroy", id.value(), versionId, null);
        } catch (RuntimeException e) {
            audit("version.destroy", id.value(), versionId, e);
            throw e;
        }
    }

    // ================================================================ describe / list

    public SecretDescription describe(String idText) {
        SecretId id = SecretId.of(idText);
        try {
            SecretRecord r = loadAnyKey(id);
            if (r == null) {
                throw notFound(id);
            }
            SecretDescription d = describe(r, lastAccessed(id.value()));
            audit("secret.describe", id.value(), null, null);
            return d;
        } catch (RuntimeException e) {
            audit("secret.describe", id.value(), null, e);
            throw e;
        }
    }

    private SecretDescription describe(SecretRecord r, Instant lastAccessed) {
        List<VersionDescription> versions = new ArrayList<>();
        for (int i = r.versions.size() - 1; i >= 0; i--) {
            VersionEntry v = r.versions.get(i);
            Set<Label> labels = new LinkedHashSet<>();
            v.labels.forEach(n -> labels.add(Label.of(n)));
            versions.add(new VersionDescription(v.id, labels, Instant.parse(v.created), v.keyVersion, instant(v.destroyed)));
        }
        RotationDescription rot = null;
        RotationState s = r.rotation;
        if (s != null) {
            // Computed, not stored: a manual write of CURRENT moves the next rotation without touching the settings.
            rot = new RotationDescription(s.rotator, s.schedule, s.params, s.enabled, RotationTiming.nextRotation(r),
                    instant(s.lastAttempt), s.lastOutcome, s.failedStep, s.lastError, s.pendingVersion, s.zone);
        }
        return new SecretDescription(SecretId.of(r.id), SecretKind.of(r.kind), r.description == null ? "" : r.description,
                r.tags, r.keyName, instant(r.created), instant(r.lastChanged), lastAccessed, instant(r.lastRotated), rot, versions,
                instant(r.deletionDate));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    public Page<SecretDescription> list(ListSecretsRequest req) {
        try {
            Page<SecretDescription> p = req.sort() == null ? listPage(req, false)
                    : dev.secrets.internal.read.SortedListing.page(req, r -> listPage(r, false));
            audit("secret.list", null, null, null);
            return p;
        } catch (RuntimeException e) {
            audit("secret.list", null, null, e);
            throw e;
        }
    }

    /**
     * One page, not audited: for this engine's own walks over the store (purge, re-wrap, rotation
     * status). {@code includeExpired}: also secrets past their deletion date, not purged yet.
     */
    private Page<SecretDescription> listPage(ListSecretsRequest req, boolean includeExpired) {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        String keyPrefix = SECRETS + req.prefix();
        String after = req.nextToken() == null ? null : SECRETS + req.nextToken() + "/~~";
        List<SecretDescription> out = new ArrayList<>();
        Instant now = clock.instant();
        while (true) {
            ListPage page = store.list(keyPrefix, after, 1000);
            // Keys of one secret are contiguous; keep the highest generation key of each ID, in order.
            Map<String, String> latest = new LinkedHashMap<>();
            Map<String, String> lastKey = new LinkedHashMap<>();
            for (String k : page.keys()) {
                if (RecordLog.generationOf(k) < 0 || !k.startsWith(SECRETS) || k.length() < SECRETS.length() + 19) {
                    continue;
                }
                String id = k.substring(SECRETS.length(), k.length() - 18);
                if (!id.startsWith(req.prefix())) {
                    continue; // prefix "a/" also matches the keys of secret "a" (secrets/a/~…)
                }
                if (SecretId.problem(id) != null) {
                    reportInvalidObject(k); // planted: it must not break the walk for every other secret
                    continue;
                }
                latest.merge(id, k, (a, b) -> RecordLog.generationOf(a) >= RecordLog.generationOf(b) ? a : b);
                lastKey.put(id, k);
            }
            List<String> ids = new ArrayList<>(latest.keySet());
            // On a truncated page the last ID may have more keys on the next one: take it up there.
            boolean holdTail = page.truncated() && ids.size() > 1;
            int n = holdTail ? ids.size() - 1 : ids.size();
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                SecretRecord r = page.truncated() && ids.size() == 1
                        ? loadListed(id) : readForList(id, latest.get(id), storeId.get());
                if (r == null || !matches(r, req, now, includeExpired)) {
                    continue;
                }
                out.add(describe(r, null));
                if (out.size() == req.pageSize()) {
                    return new Page<>(out, id);
                }
            }
            if (!page.truncated()) {
                return new Page<>(out, null);
            }
            if (holdTail) {
                after = lastKey.get(ids.get(n - 1));
            } else if (ids.isEmpty()) {
                after = page.keys().get(page.keys().size() - 1);
            } else {
                after = SECRETS + ids.get(0) + "/~~";
            }
        }
    }

    private SecretRecord loadListed(String id) {
        try {
            return loadAnyKey(SecretId.of(id));
        } catch (SecretTamperedException | MissingMasterKeyException e) {
            return null;
        }
    }

    private SecretRecord readForList(String id, String key, String storeId) {
        try {
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isPresent()) {
                RecordLog.Entry entry = parseEntry(id, key, bytes.get());
                return decodeForListing(id, entry.generation(), entry.payload(), storeId);
            }
            return loadAnyKey(SecretId.of(id)); // compacted since listed
        } catch (SecretTamperedException | MissingMasterKeyException | RecordLog.CorruptRecordException
                 | dev.secrets.spi.RefusedObjectException e) {
            return null; // listed by ID elsewhere; reading it reports the problem
        }
    }

    /** Reports (audit, failure) an object under {@code secrets/} whose ID is invalid; never throws. */
    private void reportInvalidObject(String key) {
        String printable = key.replaceAll("[^\\x20-\\x7e]", "?");
        audit("store.invalid-object", printable.length() > 1100 ? printable.substring(0, 1100) : printable, null,
                new InvalidSecretException("stored object " + printable + " does not belong to a valid secret ID; skipped"));
    }

    private RecordLog.Entry parseEntry(String id, String key, byte[] bytes) {
        // Re-use the log's parser through a one-key read: cheap, and keeps the framing in one place.
        return log.parse(SECRETS + id, key, bytes);
    }

    private boolean matches(SecretRecord r, ListSecretsRequest req, Instant now, boolean includeExpired) {
        if (r.deletionDate != null) {
            if ((!includeExpired && !now.isBefore(Instant.parse(r.deletionDate))) || !req.includeScheduledForDeletion()) {
                return false;
            }
        }
        return req.matches(r.id, r.description, r.tags);
    }

    // ================================================================ writes

    public SecretDescription create(CreateSecretRequest req) {
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
            auditPreflight(); // before the store identity or a keyring may be created
            keyrings.requireRoot(keyName); // before the store's identity is written: a refused create writes nothing
            String storeId = identity.forWrite();
            Keyring keyring = keyrings.forWrite(storeId, keyName);
            VersionEntry sealed = req.value() == null ? null : seal(storeId, id.value(), versionId, keyring, req.value());
            SecretRecord r = mutate(id, storeId, existing -> {
                if (existing != null) {
                    if (req.token() != null && existing.version(req.token()) != null
                            && sameValue(existing, existing.version(req.token()), storeId, req.value())) {
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
                    VersionEntry v = copy(sealed);
                    v.created = now;
                    v.labels.add(Label.CURRENT.name());
                    n.versions.add(v);
                    n.lastRotated = now;
                }
                return n;
            });
            invalidate(id.value());
            audit("secret.create", id.value(), sealed == null ? null : versionId, null);
            return describe(r, null);
        } catch (RuntimeException e) {
            audit("secret.create", id.value(), null, e);
            throw e;
        }
    }

    public String put(PutSecretValueRequest req) {
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
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            // Sealed once, under the master key of the record read; sealed again only if a retry
            // finds the secret moved to another master key meanwhile.
            VersionEntry[] sealed = new VersionEntry[1];
            String[] sealedUnder = new String[1];
            String[] written = new String[1];
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
                }
                checkNotDeleted(r);
                VersionEntry same = r.version(versionId);
                if (same != null) {
                    if (req.token() != null && sameValue(r, same, storeId, req.value())) {
                        return null; // idempotent repeat
                    }
                    throw new InvalidSecretException("idempotency token '" + versionId
                            + "' was already used for another value of secret '" + id + "'");
                }
                VersionHygiene.checkExpectedCurrent(r, req);
                Validation.valueFitsKind(SecretKind.of(r.kind), req.value());
                if (sealed[0] == null || !r.keyName.equals(sealedUnder[0])) {
                    sealed[0] = seal(storeId, id.value(), versionId, keyrings.forWrite(storeId, r.keyName), req.value());
                    sealedUnder[0] = r.keyName;
                }
                VersionEntry v = copy(sealed[0]);
                String now = clock.instant().toString();
                v.created = now;
                r.versions.add(v);
                for (Label l : labels) {
                    attach(r, v, l);
                }
                trimVersions(r);
                r.lastChanged = now;
                if (labels.contains(Label.CURRENT)) {
                    r.lastRotated = now;
                }
                written[0] = now;
                return r;
            });
            invalidate(id.value());
            audit("secret.write", id.value(), versionId, null);
            return versionId;
        } catch (RuntimeException e) {
            audit("secret.write", id.value(), versionId, e);
            throw e;
        }
    }

    /** Puts {@code label} on {@code v}, taking it from any other version; moving CURRENT gives PREVIOUS to the old holder. */
    private static void attach(SecretRecord r, VersionEntry v, Label label) {
        VersionEntry holder = r.labelled(label.name());
        if (holder == v) {
            return;
        }
        if (holder != null) {
            holder.labels.remove(label.name());
            if (label.equals(Label.CURRENT)) {
                VersionEntry prev = r.labelled(Label.PREVIOUS.name());
                if (prev != null) {
                    prev.labels.remove(Label.PREVIOUS.name());
                }
                if (holder.labels.size() >= Label.MAX_PER_VERSION) {
                    throw new InvalidSecretException("version " + holder.id + " already carries " + Label.MAX_PER_VERSION + " labels");
                }
                holder.labels.add(Label.PREVIOUS.name());
            }
        }
        if (v.labels.size() >= Label.MAX_PER_VERSION) {
            throw new InvalidSecretException("version " + v.id + " already carries " + Label.MAX_PER_VERSION + " labels");
        }
        v.labels.add(label.name());
        if (label.equals(Label.CURRENT)) {
            // A version that becomes CURRENT is no longer PREVIOUS.
            if (v.labels.remove(Label.PREVIOUS.name()) && holder != null) {
                // PREVIOUS was just given to the old CURRENT above; nothing else to do.
            }
        }
    }

    private void trimVersions(SecretRecord r) {
        while (r.versions.size() > maxVersions) {
            VersionEntry oldest = null;
            for (VersionEntry v : r.versions) {
                if (v.labels.isEmpty()) {
                    oldest = v;
                    break;
                }
            }
            if (oldest == null) {
                throw new InvalidSecretException("secret '" + r.id + "' has " + maxVersions
                        + " versions and every one carries a label; remove a label first");
            }
            r.versions.remove(oldest);
        }
    }

    public void moveLabel(String idText, Label label, String toVersionId, String expectedFrom) {
        SecretId id = SecretId.of(idText);
        if (toVersionId == null) {
            throw new InvalidSecretException("moving label " + label + " needs the version to move it to");
        }
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
                }
                checkNotDeleted(r);
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
                attach(r, to, label);
                r.lastChanged = clock.instant().toString();
                if (label.equals(Label.CURRENT)) {
                    r.lastRotated = r.lastChanged;
                }
                return r;
            });
            invalidate(id.value());
            audit("label.move", id.value(), toVersionId, null);
        } catch (RuntimeException e) {
            audit("label.move", id.value(), toVersionId, e);
            throw e;
        }
    }

    public void removeLabel(String idText, Label label) {
        SecretId id = SecretId.of(idText);
        if (label.equals(Label.CURRENT)) {
            throw new InvalidSecretException("CURRENT cannot be removed, only moved to another version");
        }
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
                }
                VersionEntry holder = r.labelled(label.name());
                if (holder == null) {
                    return null;
                }
                holder.labels.remove(label.name());
                r.lastChanged = clock.instant().toString();
                return r;
            });
            invalidate(id.value());
            audit("label.remove", id.value(), null, null);
        } catch (RuntimeException e) {
            audit("label.remove", id.value(), null, e);
            throw e;
        }
    }

    public void updateDescription(String idText, String description) {
        Validation.description(description);
        metadataChange(idText, "secret.update", r -> {
            String d = description == null || description.isEmpty() ? null : description;
            if (java.util.Objects.equals(d, r.description)) {
                return null;
            }
            r.description = d;
            return r;
        });
    }

    public void tag(String idText, Map<String, String> tags) {
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

    public void untag(String idText, Collection<String> keys) {
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

    private void metadataChange(String idText, String action, UnaryOperator<SecretRecord> change) {
        SecretId id = SecretId.of(idText);
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
                }
                SecretRecord n = change.apply(r);
                if (n != null) {
                    n.lastChanged = clock.instant().toString();
                }
                return n;
            });
            audit(action, id.value(), null, null);
        } catch (RuntimeException e) {
            audit(action, id.value(), null, e);
            throw e;
        }
    }

    // ================================================================ lifecycle

    public Instant delete(String idText, int recoveryDays) {
        SecretId id = SecretId.of(idText);
        if (recoveryDays < 7 || recoveryDays > 30) {
            throw new InvalidSecretException("recovery window is " + recoveryDays + " days; it must be 7 to 30");
        }
        Instant[] when = new Instant[1];
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
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
            invalidate(id.value());
            audit("secret.delete", id.value(), null, null);
            return when[0];
        } catch (RuntimeException e) {
            audit("secret.delete", id.value(), null, e);
            throw e;
        }
    }

    public void forceDelete(String idText) {
        SecretId id = SecretId.of(idText);
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            tombstone(id, storeId, true);
            invalidate(id.value());
            audit("secret.delete.force", id.value(), null, null);
        } catch (RuntimeException e) {
            audit("secret.delete.force", id.value(), null, e);
            throw e;
        }
    }

    private void tombstone(SecretId id, String storeId, boolean mustExist) {
        mutate(id, storeId, r -> {
            if (r == null) {
                if (mustExist) {
                    throw notFound(id);
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

    public void restore(String idText) {
        SecretId id = SecretId.of(idText);
        try {
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
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
            invalidate(id.value());
            audit("secret.restore", id.value(), null, null);
        } catch (RuntimeException e) {
            audit("secret.restore", id.value(), null, e);
            throw e;
        }
    }

    public int purgeExpired() {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return 0;
        }
        int purged = 0;
        Instant now = clock.instant();
        for (SecretDescription d : allSecrets(true)) {
            if (d.deletionDate() != null && !now.isBefore(d.deletionDate())) {
                try {
                    tombstone(d.id(), storeId.get(), false);
                    invalidate(d.id().value());
                    audit("secret.purge", d.id().value(), null, null);
                    purged++;
                } catch (MissingMasterKeyException | SecretTamperedException e) {
                    // Another team's secret (theirs to purge), or a damaged one: the others are purged all the same.
                    audit("secret.purge", d.id().value(), null, e);
                }
            }
        }
        return purged;
    }

    /**
     * Every secret's description (all pages). {@code includeScheduledForDeletion} also takes those
     * scheduled for deletion, including those past their date that are not purged yet.
     */
    public List<SecretDescription> allSecrets(boolean includeScheduledForDeletion) {
        List<SecretDescription> all = new ArrayList<>();
        ListSecretsRequest req = ListSecretsRequest.all();
        if (includeScheduledForDeletion) {
            req = req.includingScheduledForDeletion();
        }
        while (true) {
            Page<SecretDescription> p = listPage(req, includeScheduledForDeletion);
            all.addAll(p.items());
            if (p.nextToken() == null) {
                return all;
            }
            req = req.withNextToken(p.nextToken());
        }
    }

    // ================================================================ master keys

    /**
     * Creates the store's identity and the keyring of {@code keyName} when they do not exist yet,
     * and proves that this client's root opens the keyring. Idempotent. Returns the store ID.
     */
    public String initialize(String keyName) {
        Validation.keyName(keyName);
        try {
            auditPreflight();
            keyrings.requireRoot(keyName);
            String storeId = identity.forWrite();
            keyrings.forWrite(storeId, keyName);
            audit("store.init", null, null, keyName, null);
            return storeId;
        } catch (RuntimeException e) {
            audit("store.init", null, null, keyName, e);
            throw e;
        }
    }

    public int rotateMasterKey(String keyName) {
        Validation.keyName(keyName);
        try {
            auditPreflight();
            keyrings.requireRoot(keyName);
            int n = keyrings.rotate(identity.forWrite(), keyName).primary().number();
            audit("key.rotate", null, null, keyName, null);
            return n;
        } catch (RuntimeException e) {
            audit("key.rotate", null, null, keyName, e);
            throw e;
        }
    }

    public int rewrap(String keyName, BiConsumer<Integer, Integer> progress) {
        Validation.keyName(keyName);
        String storeId = identity.existing().orElse(null);
        if (storeId == null) {
            return 0;
        }
        List<SecretDescription> all = allSecrets(true);
        List<String> damaged = new ArrayList<>();
        int done = 0;
        int rewrapped = 0;
        for (SecretDescription d : all) {
            if (d.keyName().equals(keyName)) {
                int[] count = new int[1];
                try {
                    mutate(d.id(), storeId, r -> {
                        if (r == null || !r.keyName.equals(keyName)) {
                            return null;
                        }
                        Keyring k = keyrings.get(storeId, keyName, 1);
                        // The keyring may have been rotated by another process since it was cached.
                        Keyring fresh = keyrings.get(storeId, keyName, k.primary().number());
                        Keyring.Version to = fresh.primary();
                        count[0] = 0;
                        for (VersionEntry v : r.versions) {
                            if (v.keyVersion != to.number() && v.destroyed == null) {
                                Keyring.Version from = keyVersion(storeId, keyName, v.keyVersion, r.id);
                                try {
                                    Envelope.rewrap(v, storeId, r.id, from, to, random);
                                } catch (Aead.DecryptionFailedException e) {
                                    throw new SecretTamperedException("secret '" + r.id + "' version " + v.id
                                            + " failed decryption of its data key during re-wrap", e);
                                }
                                count[0]++;
                            }
                        }
                        return count[0] == 0 ? null : r;
                    });
                } catch (SecretTamperedException e) {
                    // One damaged secret must not stop the re-wrap of every other: reported at the end.
                    audit("key.rewrap", d.id().value(), null, keyName, e);
                    damaged.add(d.id().value());
                    count[0] = -1;
                } catch (RuntimeException e) {
                    audit("key.rewrap", d.id().value(), null, keyName, e);
                    throw e;
                }
                if (count[0] >= 0) {
                    rewrapped += count[0];
                    audit("key.rewrap", d.id().value(), null, keyName, null);
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

    public void moveToKey(String idText, String newKeyName) {
        SecretId id = SecretId.of(idText);
        Validation.keyName(newKeyName);
        try {
            auditPreflight(); // before the target keyring may be created
            String storeId = identity.existing().orElseThrow(() -> notFound(id));
            Keyring target = keyrings.forWrite(storeId, newKeyName);
            mutate(id, storeId, r -> {
                if (r == null) {
                    throw notFound(id);
                }
                if (r.keyName.equals(newKeyName)) {
                    return null;
                }
                for (VersionEntry v : r.versions) {
                    if (v.destroyed != null) {
                        continue;
                    }
                    Keyring.Version from = keyVersion(storeId, r.keyName, v.keyVersion, r.id);
                    try {
                        Envelope.rewrap(v, storeId, r.id, from, target.primary(), random);
                    } catch (Aead.DecryptionFailedException e) {
                        throw new SecretTamperedException("secret '" + r.id + "' version " + v.id + " failed decryption", e);
                    }
                }
                r.keyName = newKeyName;
                r.lastChanged = clock.instant().toString();
                return r;
            });
            invalidate(id.value());
            pins.moved(id.value(), newKeyName);
            audit("secret.move-key", id.value(), null, newKeyName, null);
        } catch (RuntimeException e) {
            audit("secret.move-key", id.value(), null, newKeyName, e);
            throw e;
        }
    }

    // ================================================================ the compare-and-set loop

    /**
     * Applies {@code change} to the secret's latest record (null when it does not exist) and
     * writes the result as the next generation, retrying on conflict. {@code change} returns null
     * for "nothing to write"; it may run several times and must not have side effects beyond the
     * record it is given.
     *
     * @return the record written, or the unchanged record when {@code change} returned null
     */
    public SecretRecord mutate(SecretId id, String storeId, Function<SecretRecord, SecretRecord> change) {
        String name = SECRETS + id.value();
        auditPreflight();
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Loaded l = loadVerified(id);
            SecretRecord next = change.apply(l.record);
            if (next == null) {
                return l.record;
            }
            next.id = id.value();
            next.generation = l.entry == null ? 1 : l.entry.generation() + 1;
            Keyring keyring = keyrings.forWrite(storeId, next.keyName);
            byte[] payload = RecordCodec.encode(next, storeId, keyring.primary());
            if (log.append(name, l.entry, payload)) {
                return next;
            }
            backoff(attempt);
        }
        throw new ConflictException("could not write secret '" + id + "': it was changed concurrently " + WRITE_ATTEMPTS
                + " times in a row; retry");
    }

    private static void backoff(int attempt) {
        long maxMicros = Math.min(50_000L, 100L << Math.min(attempt, 9));
        long micros = ThreadLocalRandom.current().nextLong(maxMicros + 1);
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("interrupted while retrying a write", e);
        }
    }

    private VersionEntry seal(String storeId, String secretId, String versionId, Keyring keyring, SecretValue value) {
        VersionEntry v = new VersionEntry();
        v.id = versionId;
        Envelope.seal(v, storeId, secretId, keyring.primary(), value, random);
        return v;
    }

    private static VersionEntry copy(VersionEntry s) {
        VersionEntry v = new VersionEntry();
        v.id = s.id;
        v.type = s.type;
        v.keyVersion = s.keyVersion;
        v.wrappedKey = s.wrappedKey;
        v.nonce = s.nonce;
        v.ciphertext = s.ciphertext;
        v.created = s.created;
        v.destroyed = s.destroyed;
        v.labels = new ArrayList<>(s.labels);
        return v;
    }

    private boolean sameValue(SecretRecord r, VersionEntry v, String storeId, SecretValue value) {
        if (value == null || v.destroyed != null) {
            return false;
        }
        Keyring.Version key = keyVersion(storeId, r.keyName, v.keyVersion, r.id);
        try {
            return Envelope.open(v, storeId, r.id, key).equals(value);
        } catch (Aead.DecryptionFailedException e) {
            throw new SecretTamperedException("secret '" + r.id + "' version " + v.id + " failed decryption", e);
        }
    }

    // ================================================================ last accessed

    private void recordAccess(String id) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.equals(accessRecorded.get(id))) {
            return;
        }
        try {
            String prefix = "access/" + id + "/~";
            if (store.putIfAbsent(prefix + today, new byte[0])) {
                for (String k : store.list(prefix, null, 1000).keys()) {
                    if (k.compareTo(prefix + today) < 0) {
                        store.delete(k);
                    }
                }
            }
            accessRecorded.put(id, today);
        } catch (RuntimeException e) {
            // Best effort: a read never fails because its access date could not be recorded (read-only stores).
        }
    }

    private Instant lastAccessed(String id) {
        try {
            List<String> keys = store.list("access/" + id + "/~", null, 1000).keys();
            if (keys.isEmpty()) {
                return null;
            }
            String k = keys.get(keys.size() - 1);
            return LocalDate.parse(k.substring(k.lastIndexOf('~') + 1)).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ================================================================ audit

    /** Emits an audit event; {@code error} null for success. */
    public void audit(String action, String secretId, String versionId, Throwable error) {
        audit(action, secretId, versionId, null, error);
    }

    /**
     * Emits an audit event naming a master key; {@code error} null for success. When the sinks
     * refuse (fail closed) the event of a successful operation, this throws
     * {@link AuditFailedException}; the event of a failed operation ({@code error} not null) gets the
     * refusal added to {@code error} as suppressed, and the caller throws its own error as before.
     */
    public void audit(String action, String secretId, String versionId, String keyName, Throwable error) {
        if (!auditing) {
            return;
        }
        AuditEvent event = new AuditEvent(clock.instant(), action, secretId, versionId,
                error == null ? AuditEvent.SUCCESS : AuditEvent.FAILURE, error == null ? null : error.getClass().getSimpleName(),
                principal, keyName);
        for (AuditSink s : sinks) {
            try {
                s.record(event);
            } catch (RuntimeException refused) {
                cachedReads.sinkFailed();
                if (error != null) {
                    // The operation failed: nothing happened that could go unrecorded; keep its own error.
                    error.addSuppressed(refused);
                    return;
                }
                throw refused;
            }
        }
        cachedReads.sinkRecorded();
    }

    /** With fail-closed sinks, throws before a write when no sink could record its event; nothing is written then. */
    private void auditPreflight() {
        if (auditing) {
            for (AuditSink s : sinks) {
                s.checkReady();
            }
        }
    }

    // ================================================================ rotation status

    /**
     * Secrets whose rotation is overdue (by more than {@code graceSeconds}), failing, or stuck in
     * {@code PENDING}, in ID order. Secrets of every master key are checked: this reads metadata only.
     */
    public List<RotationStatus> rotationStatus(long graceSeconds) {
        try {
            List<RotationStatus> out = new ArrayList<>();
            Instant now = clock.instant();
            Duration maxAge = config.duration(RotationStatusCheck.MAX_AGE, null);
            for (SecretDescription d : allSecrets(false)) {
                if (d.rotation() == null && d.versionWith(Label.PENDING).isEmpty() && maxAge == null
                        && !d.tags().containsKey(RotationStatusCheck.MAX_AGE)) {
                    continue;
                }
                SecretRecord r;
                try {
                    r = loadAnyKey(d.id());
                } catch (SecretTamperedException e) {
                    continue; // reading it reports the tampering; the status lists rotations
                }
                RotationStatusCheck.of(r, now, graceSeconds, maxAge).ifPresent(out::add);
            }
            metrics.secretsTooOld((int) out.stream().filter(st -> st.problems().contains(RotationStatus.Problem.TOO_OLD)).count());
            audit("rotation.status", null, null, null);
            return out;
        } catch (RuntimeException e) {
            audit("rotation.status", null, null, e);
            throw e;
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService r = refresher;
        if (r != null) {
            r.shutdownNow();
        }
        if (cachedReads != null) {
            cachedReads.close(); // before the sinks close: no counted read is lost at a clean shutdown
        }
        for (AuditSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closing is best effort
            }
        }
        store.close();
    }

}
