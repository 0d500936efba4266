package dev.secrets.internal;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.Page;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.RotationStatus;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.audit.Auditor;
import dev.secrets.internal.audit.CachedReadAudit;
import dev.secrets.internal.cache.RefreshScheduler;
import dev.secrets.internal.cache.SecretCache;
import dev.secrets.internal.read.BatchReader;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionHygiene;
import dev.secrets.internal.repository.RecordListing;
import dev.secrets.internal.repository.SecretRepository;
import dev.secrets.internal.rotation.RotationSupport;
import dev.secrets.internal.store.AccessTracker;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.internal.store.StoreIdentity;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.KeyRoot;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The rooms behind one {@link dev.secrets.SecretsClient}, wired together: reads ({@link SecretReads}
 * over the {@link SecretCache}), writes ({@link SecretWrites}), deletion ({@link SecretLifecycle}),
 * master keys ({@link KeyOperations}), descriptions and listing ({@link SecretCatalog}), all over
 * one {@link SecretRepository} and one {@link Auditor}. Each operation is forwarded to the room that
 * owns it; this class holds no logic of its own. Also the {@link RotationSupport} of the client's
 * rotation engine. One per client; thread-safe. Not API.
 */
public final class SecretsEngine implements RotationSupport, AutoCloseable {
    private final ObjectStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final SecretsConfig config;
    private final SecretsMetrics metrics;
    private final Auditor audit;
    private final SecretCache cache;
    private final SecretRepository repository;
    private final SecretReads reads;
    private final SecretWrites writes;
    private final SecretCatalog catalog;
    private final SecretLifecycle lifecycle;
    private final KeyOperations keys;
    private final MasterKeys masterKeys;
    private final Map<String, ? extends KeyRoot> roots;
    private final KeyringStore keyrings;
    private final BatchReader batch;
    /** How long a stale value may stand in while the store fails, unless configured. */
    private static final Duration DEFAULT_STALE_MAX_AGE = Duration.ofHours(24);

    public SecretsEngine(ObjectStore store, Map<String, ? extends KeyRoot> roots, Clock clock, LongSupplier ticker, SecureRandom random,
                         Duration ttl, int maxSize, String principal, List<AuditSink> sinks, SecretsConfig config,
                         SecretsMetrics metrics) {
        this(store, roots, clock, ticker, RefreshScheduler.daemon(), random, ttl, maxSize, principal, sinks, config, metrics);
    }

    /** As above, with the scheduler of the cache's background refreshes. */
    public SecretsEngine(ObjectStore store, Map<String, ? extends KeyRoot> roots, Clock clock, LongSupplier ticker, RefreshScheduler refresher,
                         SecureRandom random, Duration ttl, int maxSize, String principal, List<AuditSink> sinks,
                         SecretsConfig config, SecretsMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.config = config;
        this.metrics = metrics == null ? SecretsMetrics.NONE : metrics;
        this.audit = new Auditor(sinks, principal, clock, ticker, this.metrics, config == null ? CachedReadAudit.DEFAULT_INTERVAL
                : config.duration(SecretsConfig.AUDIT_CACHED_READS_INTERVAL, CachedReadAudit.DEFAULT_INTERVAL));
        Map<String, ? extends KeyRoot> rootsCopy = Map.copyOf(roots);
        RecordLog log = new RecordLog(store, random);
        this.roots = rootsCopy;
        this.keyrings = new KeyringStore(log, name -> Optional.ofNullable(rootsCopy.get(name)), random, clock);
        StoreIdentity identity = new StoreIdentity(store, clock);
        this.repository = new SecretRepository(log, identity, keyrings, rootsCopy.keySet(), KeyPins.from(config), random, clock,
                audit::preflight);
        this.cache = new SecretCache(ticker, ttl, maxSize, refresher, audit::counter, (config == null ? DEFAULT_STALE_MAX_AGE
                : config.duration(SecretsConfig.CACHE_STALE_MAX_AGE, DEFAULT_STALE_MAX_AGE)));
        AccessTracker access = new AccessTracker(store, clock);
        this.reads = new SecretReads(cache, repository, audit, access, this.metrics);
        this.writes = new SecretWrites(repository, cache, audit, clock, VersionHygiene.maxVersions(config));
        this.catalog = new SecretCatalog(repository, new RecordListing(store, repository, this::reportInvalidObject), access, audit,
                clock, config, this.metrics);
        this.lifecycle = new SecretLifecycle(repository, catalog, cache, audit, clock);
        this.keys = new KeyOperations(repository, catalog, cache, audit, clock);
        this.masterKeys = new MasterKeys(this, keyrings, identity, repository::loadAnyKey, audit::preflight, cache::clear);
        this.batch = new BatchReader(store, log, this::readListed); // the same log: what this client verified counts there too
    }

    /** Reads of many secrets with one listing. */
    public BatchReader batch() {
        return batch;
    }

    /** Rekey, retire and description of master keys. */
    public MasterKeys masterKeys() {
        return masterKeys;
    }

    public String location() {
        return store.location();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public SecureRandom random() {
        return random;
    }

    public SecretsConfig config() {
        return config;
    }

    /** The store itself, for tests of this library. */
    public ObjectStore store() {
        return store;
    }

    @Override
    public Optional<String> storeId() {
        return repository.storeId();
    }

    /** The metrics listener of this client ({@link SecretsMetrics#NONE} when none): the rotation engine reports outcomes to it. */
    @Override
    public SecretsMetrics metrics() {
        return metrics;
    }

    /** One request to the store past every cache: its identity object (absent is still reachable). Audited. */
    public void checkStore() {
        audit.auditedRun("store.check", null, null, () -> store.get(StoreIdentity.KEY));
    }

    /** Reports (audit, failure) an object under {@code secrets/} whose ID is invalid; never throws. */
    private void reportInvalidObject(String key) {
        String printable = key.replaceAll("[^\\x20-\\x7e]", "?");
        audit.record("store.invalid-object", printable.length() > 1100 ? printable.substring(0, 1100) : printable, null,
                new InvalidSecretException("stored object " + printable + " does not belong to a valid secret ID; skipped"));
    }

    // ---------------------------------------------------------------- reads and descriptions

    public SecretVersion getCurrent(String id) {
        return reads.getCurrent(id);
    }

    /** The read path itself, for {@code SecretsClient.getSecretValue(String)}: a cache hit one call shorter. */
    public SecretReads reads() {
        return reads;
    }

    @Override
    public SecretVersion get(GetSecretValueRequest req) {
        return reads.get(req);
    }

    /** The {@code CURRENT} version from the latest record a batch read found (null: none). For {@code internal.read.BatchReader}. */
    public SecretVersion readListed(SecretId id, RecordLog.Entry latest) {
        return reads.readListed(id, latest);
    }

    @Override
    public SecretDescription describe(String id) {
        return catalog.describe(id);
    }

    public Page<SecretDescription> list(ListSecretsRequest req) {
        return catalog.list(req);
    }

    @Override
    public List<SecretDescription> allSecrets(boolean includeScheduledForDeletion) {
        return catalog.allSecrets(includeScheduledForDeletion);
    }

    public List<RotationStatus> rotationStatus(long graceSeconds) {
        return catalog.rotationStatus(graceSeconds);
    }

    // ---------------------------------------------------------------- writes

    public SecretDescription create(CreateSecretRequest req) {
        return writes.create(req);
    }

    @Override
    public String put(PutSecretValueRequest req) {
        return writes.put(req);
    }

    @Override
    public void moveLabel(String id, Label label, String toVersionId, String expectedFrom) {
        writes.moveLabel(id, label, toVersionId, expectedFrom);
    }

    @Override
    public void removeLabel(String id, Label label) {
        writes.removeLabel(id, label);
    }

    public void destroyVersion(String id, String versionId) {
        writes.destroyVersion(id, versionId);
    }

    public void updateDescription(String id, String description) {
        writes.updateDescription(id, description);
    }

    public void tag(String id, Map<String, String> tags) {
        writes.tag(id, tags);
    }

    public void untag(String id, Collection<String> keys) {
        writes.untag(id, keys);
    }

    @Override
    public SecretRecord mutate(SecretId id, String storeId, Function<SecretRecord, SecretRecord> change) {
        return repository.mutate(id, storeId, change);
    }

    // ---------------------------------------------------------------- lifecycle

    public Instant delete(String id, int recoveryDays) {
        return lifecycle.delete(id, recoveryDays);
    }

    public void forceDelete(String id) {
        lifecycle.forceDelete(id);
    }

    public void restore(String id) {
        lifecycle.restore(id);
    }

    public int purgeExpired() {
        return lifecycle.purgeExpired();
    }

    // ---------------------------------------------------------------- master keys

    public String initialize(String keyName) {
        return keys.initialize(keyName);
    }

    public int rotateMasterKey(String keyName) {
        return keys.rotateMasterKey(keyName);
    }

    public int rewrap(String keyName, BiConsumer<Integer, Integer> progress) {
        return keys.rewrap(keyName, progress);
    }

    public void moveToKey(String id, String newKeyName) {
        keys.moveToKey(id, newKeyName);
    }

    // ---------------------------------------------------------------- audit

    @Override
    public void audit(String action, String secretId, String versionId, Throwable error) {
        audit.record(action, secretId, versionId, error);
    }

    /** Emits an audit event naming a master key; {@code error} null for success. */
    public void audit(String action, String secretId, String versionId, String keyName, Throwable error) {
        audit.record(action, secretId, versionId, keyName, error);
    }

    @Override
    public void close() {
        cache.close();
        audit.close();
        store.close();
        keyrings.close(); // zeroes cached key material
        roots.values().forEach(KeyRoot::close); // the engine opened them (EngineAssembly): local roots zero themselves
    }
}
