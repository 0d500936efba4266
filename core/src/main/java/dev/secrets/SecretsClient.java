package dev.secrets;

import dev.secrets.internal.EngineAssembly;
import dev.secrets.internal.SecretsEngine;
import dev.secrets.internal.cache.RefreshScheduler;
import dev.secrets.internal.crypto.KeyProviders;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.read.BatchReader;
import dev.secrets.internal.rotation.RotationEngine;
import dev.secrets.internal.rotation.RotationTiming;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.KeyRoot;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.Rotator;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The one type an application holds: reads, writes, labels, lifecycle and master keys of the
 * secrets in one store, and their rotation.
 *
 * <p>Reads of {@code CURRENT} are served from memory for {@code secrets.cache.ttl} (default 1 h)
 * without locks; versions are immutable, so other versions are cached by ID. A write through this
 * client is visible to its next read at once. When the store is briefly unreachable, a stale cached
 * value is served while a background refresh retries with backoff.
 *
 * <p>Every write is a compare-and-set on the secret's record: concurrent writers in threads,
 * processes or machines never lose each other's changes. Input is validated before any I/O; an
 * invalid request writes nothing.
 *
 * <p>Thread-safe. Build one per store and share it; {@link #close()} releases the store.
 */
public final class SecretsClient implements AutoCloseable {
    private final SecretsEngine engine;
    private final RotationEngine rotations;
    private final Function<String, String> environment;
    private final BatchReader batch;

    private SecretsClient(SecretsEngine engine, List<Rotator> rotators, Function<String, String> environment, Duration rotationLease) {
        this.engine = engine;
        this.environment = environment;
        this.rotations = new RotationEngine(engine, rotators, rotationLease);
        this.batch = new BatchReader(engine.store(), new RecordLog(engine.store(), engine.random()), engine::readListed);
    }

    /** A builder; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client configured entirely from the configuration chain ({@link SecretsConfig#load()}). */
    public static SecretsClient fromConfiguration() {
        return builder().config(SecretsConfig.load()).build();
    }

    /** A client configured from {@code config}. */
    public static SecretsClient fromConfig(SecretsConfig config) {
        return builder().config(config).build();
    }

    // ---------------------------------------------------------------- reads

    /**
     * The {@code CURRENT} version of a secret, through the cache.
     *
     * @throws SecretNotFoundException when there is no such secret or it has no value
     * @throws SecretScheduledForDeletionException when its deletion is scheduled
     * @throws SecretTamperedException when its stored bytes were altered
     * @throws MissingMasterKeyException when this client lacks the secret's master key
     */
    public SecretVersion getSecretValue(String id) {
        return engine.getCurrent(id);
    }

    /** A version by ID or label, through the cache unless {@link GetSecretValueRequest#bypassCache()}. */
    public SecretVersion getSecretValue(GetSecretValueRequest request) {
        return engine.get(request);
    }

    /** The {@code CURRENT} version read from the store, bypassing (and refreshing) the cache. */
    public SecretVersion refresh(String id) {
        return engine.get(GetSecretValueRequest.of(id).bypassingCache());
    }

    /**
     * The {@code CURRENT} values of several secrets, read from the store (refreshing the cache) with one
     * listing of the store where it can (see {@code docs/architecture.md}), as AWS {@code BatchGetSecretValue}:
     * a partial result, with one {@link BatchGetError} naming each secret that could not be read
     * (missing, scheduled for deletion, tampered, without its master key, or an invalid ID). Each read is
     * audited as a single read is. Duplicate IDs are read once; the values come in ID order.
     */
    public BatchGetResult getSecretValues(Collection<String> ids) {
        return batch.read(List.copyOf(ids));
    }

    /**
     * The {@code CURRENT} values of one page of the secrets that {@code filter} lists (its prefix, tags,
     * filters, sort and page size), with the token of the next page; see {@link #getSecretValues(Collection)}.
     */
    public BatchGetResult getSecretValues(ListSecretsRequest filter) {
        Page<SecretDescription> page = engine.list(filter);
        List<String> ids = page.items().stream().map(d -> d.id().value()).toList();
        // The batch comes in ID order; a sorted listing keeps its own.
        BatchGetResult r = filter.sort() != null ? batch.readInOrder(ids) : batch.read(ids);
        return r.withNextToken(page.nextToken());
    }

    /** Everything about a secret except its values. Works without the secret's master key. */
    public SecretDescription describeSecret(String id) {
        return engine.describe(id);
    }

    /** One page of secrets (metadata only). Works without the secrets' master keys. */
    public Page<SecretDescription> listSecrets(ListSecretsRequest request) {
        return engine.list(request);
    }

    // ---------------------------------------------------------------- writes

    /**
     * Creates a secret, with its first value labelled {@code CURRENT} when one is given.
     *
     * @throws InvalidSecretException for invalid input, or when the secret already exists
     *     (unless this is a repeat of the same request with the same token)
     */
    public SecretDescription createSecret(CreateSecretRequest request) {
        return engine.create(request);
    }

    /** Writes a new version; see {@link PutSecretValueRequest} for the labels it gets. Returns the version ID. */
    public String putSecretValue(PutSecretValueRequest request) {
        return engine.put(request);
    }

    /**
     * Destroys the value of one version, for a value that leaked: its data key and ciphertext are removed
     * from the record and every older generation of the record is deleted from the store, so the
     * ciphertext is gone; the version stays listed (see {@link VersionDescription#destroyed()}) without
     * labels, and reading it gives {@link VersionDestroyedException}. The other versions are untouched.
     * Idempotent. (A client that read the version before keeps it in its cache until it is closed.)
     *
     * @throws SecretNotFoundException when the secret or the version does not exist
     * @throws InvalidSecretException when the version is {@code CURRENT}: write a new value first
     */
    public void destroySecretVersion(String id, String versionId) {
        engine.destroyVersion(id, versionId);
    }

    /** Writes a new {@code CURRENT} version; the old one becomes {@code PREVIOUS}. Returns the version ID. */
    public String putSecretValue(String id, SecretValue value) {
        return engine.put(PutSecretValueRequest.of(id, value));
    }

    /**
     * Moves {@code label} to version {@code toVersionId} in one atomic step. Moving {@code CURRENT}
     * gives {@code PREVIOUS} to the version that had it.
     *
     * @param expectedFromVersionId when not null, the move happens only if the label is on this
     *     version now (or on none); otherwise {@link ConflictException}
     */
    public void moveLabel(String id, Label label, String toVersionId, String expectedFromVersionId) {
        engine.moveLabel(id, label, toVersionId, expectedFromVersionId);
    }

    /** Moves {@code label} to {@code toVersionId} from wherever it is. */
    public void moveLabel(String id, Label label, String toVersionId) {
        engine.moveLabel(id, label, toVersionId, null);
    }

    /** Removes {@code label} from the version that carries it. {@code CURRENT} cannot be removed, only moved. */
    public void removeLabel(String id, Label label) {
        engine.removeLabel(id, label);
    }

    /** Replaces the description (null or empty clears it). */
    public void updateDescription(String id, String description) {
        engine.updateDescription(id, description);
    }

    /** Adds or replaces tags. */
    public void tagSecret(String id, Map<String, String> tags) {
        engine.tag(id, tags);
    }

    /** Removes tags by key. */
    public void untagSecret(String id, Collection<String> keys) {
        engine.untag(id, keys);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Schedules deletion with a 30-day recovery window. Returns the deletion date. */
    public java.time.Instant deleteSecret(String id) {
        return engine.delete(id, 30);
    }

    /** Schedules deletion with a recovery window of 7 to 30 days. Returns the deletion date. */
    public java.time.Instant deleteSecret(String id, int recoveryDays) {
        return engine.delete(id, recoveryDays);
    }

    /** Deletes a secret at once, with no recovery. */
    public void forceDeleteSecret(String id) {
        engine.forceDelete(id);
    }

    /** Cancels a scheduled deletion. */
    public void restoreSecret(String id) {
        engine.restore(id);
    }

    /** Purges every secret whose recovery window has passed; returns how many. */
    public int purgeExpired() {
        return engine.purgeExpired();
    }

    // ---------------------------------------------------------------- master keys

    /**
     * Initializes the store for master key {@code keyName}: creates the store's identity and the
     * key's keyring if absent, and checks that this client's root key opens it. Idempotent.
     *
     * @return the store's ID
     * @throws MissingMasterKeyException when this client has no root for {@code keyName}
     * @throws WrongMasterKeyException when the store's keyring was made with another root
     */
    public String initialize(String keyName) {
        return engine.initialize(keyName);
    }

    /** Adds a new version to master key {@code keyName}; new data keys are wrapped by it. Returns its number. */
    public int rotateMasterKey(String keyName) {
        return engine.rotateMasterKey(keyName);
    }

    /**
     * Re-wraps every data key under master key {@code keyName} with its newest version, without
     * touching the values. Returns the number of versions re-wrapped.
     *
     * @param progress called with (secrets done, secrets in all) as it goes; may be null
     */
    public int rewrap(String keyName, java.util.function.BiConsumer<Integer, Integer> progress) {
        return engine.rewrap(keyName, progress);
    }

    /**
     * Moves master key {@code keyName} to the root named by {@code toUri} (any key URI: file → HSM,
     * or a leaked root → a fresh one): every key version is re-encrypted under the new root in one
     * atomic write, and the keyring's older generations are deleted, so the old root opens nothing
     * in the store. This client needs the old root; a rekey that was interrupted is finished by
     * running it again. Returns the number of key versions moved.
     *
     * @throws WrongMasterKeyException when neither the configured root nor {@code toUri} opens the keyring
     */
    public int rekey(String keyName, String toUri) {
        // Not closed: this client goes on using the new root for the key.
        KeyRoot to = KeyProviders.open(keyName, toUri, environment);
        return engine.masterKeys().rekey(keyName, to);
    }

    /**
     * Retires version {@code version} of master key {@code keyName}: its material is destroyed and
     * values still under it can no longer be read. Refuses while values are still under it (run
     * {@link #rewrap} first) unless {@code force}; never retires the primary version.
     */
    public MasterKeyDescription retireKeyVersion(String keyName, int version, boolean force) {
        return engine.masterKeys().retire(keyName, version, force);
    }

    /** Master key {@code keyName}: provider scheme and versions with their state (needs its root). */
    public MasterKeyDescription describeMasterKey(String keyName) {
        return engine.masterKeys().describe(keyName);
    }

    /**
     * The scheme of the root that wraps master key {@code keyName} ({@code file}, {@code pkcs11},
     * {@code aws-kms}…), read from its keyring without needing the root; {@code none} when the
     * store has no keyring for it.
     */
    public String masterKeyProvider(String keyName) {
        return engine.masterKeys().providerOf(keyName);
    }

    /** The names of the master keys that have a keyring in the store. */
    public List<String> masterKeyNames() {
        return engine.masterKeys().names();
    }

    /** Re-encrypts a secret under another master key (this client must hold both). */
    public void moveToKey(String id, String newKeyName) {
        engine.moveToKey(id, newKeyName);
    }

    // ---------------------------------------------------------------- rotation

    /**
     * Sets how a secret is rotated (replacing earlier settings; a rotation in progress keeps its
     * progress). Returns the rotation status, with the next rotation date.
     *
     * @throws InvalidSecretException for an unknown rotator, a bad schedule or zone, or bad rotator
     *     parameters; nothing is written then
     * @throws SecretNotFoundException when there is no such secret
     */
    public RotationDescription configureRotation(String id, RotationSettings settings) {
        return rotations.configure(id, settings);
    }

    /**
     * Rotates a secret now, whatever its schedule, or resumes its rotation in progress from the
     * step that did not complete. Returns the version ID of the new {@code CURRENT}.
     *
     * @throws RotationFailedException when a step fails ({@code CURRENT} is unchanged unless it was
     *     the last step); the outcome is recorded and the next attempt resumes
     * @throws ConflictException when another client (thread, process or machine) is rotating it now
     * @throws InvalidSecretException when rotation is not configured or its rotator is unknown
     */
    public String rotateNow(String id) {
        return rotations.rotateNow(id);
    }

    /**
     * Cancels rotation, as AWS CancelRotateSecret: turns the schedule off and, when a rotation is in
     * progress, stops it — at once when no client is running it, else at the running client's next
     * step boundary (its {@code rotateNow} then fails saying it was cancelled). The target is set back
     * to the {@code CURRENT} credentials and the {@code PENDING} label is removed (the version stays,
     * unlabelled), so a later {@link #rotateNow} starts a fresh rotation. A rotation whose last step
     * already ran completes. {@link #configureRotation} turns the schedule on again.
     *
     * @throws RotationFailedException (step {@code cancelSecret}) when the target cannot be set back now;
     *     the cancel stays requested and the next cancel or rotation completes it
     * @throws InvalidSecretException when rotation is not configured
     */
    public RotationDescription cancelRotation(String id) {
        return rotations.cancel(id);
    }

    /**
     * Runs, once, every scheduled rotation that is due — and resumes rotations that a crashed
     * process left part-way — among the secrets this client can decrypt. A secret that another
     * client is rotating at the same time is left to it. The one-shot entry point for cron jobs;
     * {@link RotationScheduler} calls it periodically.
     *
     * @return what was attempted; failures are reported here and in each secret's rotation status, not thrown
     */
    public List<RotationOutcome> runDueRotations() {
        return rotations.runDue();
    }

    // ---------------------------------------------------------------- monitoring

    /**
     * Secrets whose rotation needs attention: overdue (enabled, and the next rotation date has
     * passed), failing (the last attempt failed; with the failing step and the time of the attempt)
     * or stuck (a version labelled {@code PENDING} that is not {@code CURRENT}, with no live lease),
     * in ID order. Reads metadata only, so secrets under master keys this client lacks are included.
     */
    public List<RotationStatus> rotationStatus() {
        return engine.rotationStatus(0);
    }

    /** As {@link #rotationStatus()}, counting a rotation as overdue only {@code grace} after its date. */
    public List<RotationStatus> rotationStatus(Duration grace) {
        return engine.rotationStatus(grace.toSeconds());
    }

    // ---------------------------------------------------------------- callers

    /**
     * Runs {@code call} on this thread with {@code principal} as the principal of every audit event
     * it causes, instead of the client's own. For a server that answers many callers through one
     * client (one cache, one keyring): {@code secrets serve} names the caller's access key.
     */
    public <T> T callAs(String principal, java.util.function.Supplier<T> call) {
        return dev.secrets.internal.audit.CallerPrincipal.callAs(Objects.requireNonNull(principal, "principal"), call);
    }

    /**
     * Records an audit event for something that happened outside this library but belongs in the
     * same trail (a server's refused authentication), with the current principal (see
     * {@link #callAs}); {@code error} null means success. Carries no value: only the action, the
     * secret ID if any and the error's class.
     */
    public void auditEvent(String action, String secretId, Throwable error) {
        engine.audit(Objects.requireNonNull(action, "action"), secretId, null, error);
    }

    // ---------------------------------------------------------------- the store

    /** The URI of this client's store ({@code file:PATH}, {@code s3://BUCKET/PREFIX}); never holds a credential. */
    public String location() {
        return engine.location();
    }

    /**
     * Makes one request to the store past every cache (it reads the store's identity object, which
     * may be absent: an empty store is still reachable), as a health check. Audited as
     * {@code store.check}.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws AuditFailedException when the audit sinks fail closed and refuse the event
     */
    public void checkStore() {
        engine.checkStore();
    }

    // The engine, for tests of this package only.
    SecretsEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "SecretsClient[" + engine.location() + "]";
    }

    /**
     * Builds a {@link SecretsClient}. Explicit builder settings win over {@link #config}; the
     * configuration is fixed once {@link #build()} returns.
     */
    public static final class Builder {
        private SecretsConfig config;
        private String storeUri;
        private ObjectStore objectStore;
        private final Map<String, String> keyUris = new LinkedHashMap<>();
        private final Map<String, byte[]> keyBytes = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = dev.secrets.internal.cache.CoarseTicker::read;
        private SecureRandom random;
        private Duration cacheTtl;
        private Integer cacheMaxSize;
        private Duration rotationLease;
        private Integer maxVersions;
        private String principal;
        private final List<AuditSink> auditSinks = new ArrayList<>();
        private Boolean auditFailClosed;
        private SecretsMetrics metrics = SecretsMetrics.NONE;
        private Function<String, String> environment = System::getenv;
        private final List<Rotator> rotators = new ArrayList<>();
        private RefreshScheduler refreshScheduler;

        private Builder() {
        }

        /** The configuration chain to read unset settings from; default {@link SecretsConfig#load()}. */
        public Builder config(SecretsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Store URI: {@code file:PATH} or {@code s3://BUCKET/PREFIX?…}. */
        public Builder store(String uri) {
            this.storeUri = uri;
            return this;
        }

        /** A store instance, for embedding and tests. */
        public Builder store(ObjectStore store) {
            this.objectStore = store;
            return this;
        }

        /**
         * Key URI of master key {@code name}: {@code env:}, {@code file:}, {@code passphrase-env:},
         * {@code pkcs11:}, or any scheme a {@link dev.secrets.spi.KeyProvider} on the class path handles.
         */
        public Builder masterKey(String name, String keyUri) {
            keyUris.put(name, keyUri);
            return this;
        }

        /** 32 bytes of master key root for {@code name} (copied). */
        public Builder masterKey(String name, byte[] key) {
            keyBytes.put(name, RootKey.ofBytes(name, key).material(null));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Source of nanoseconds for cache expiry; default a millisecond-resolution {@link System#nanoTime()}. */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker);
            return this;
        }

        // The scheduler of the cache's background refreshes, for tests of this package; default one daemon thread.
        Builder refreshScheduler(RefreshScheduler scheduler) {
            this.refreshScheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * How long a rotation step may run without renewing its lease before another runner may take the
         * rotation over; default {@code secrets.rotation.lease}, else 10 minutes. At least 10 seconds.
         */
        public Builder rotationLease(Duration lease) {
            this.rotationLease = Objects.requireNonNull(lease);
            return this;
        }

        public Builder cacheMaxSize(int max) {
            this.cacheMaxSize = max;
            return this;
        }

        /**
         * Most versions a secret keeps, 2 to 100 (default {@code secrets.versions.max}, else 100); a write
         * beyond it removes the oldest versions without labels.
         */
        public Builder maxVersions(int max) {
            this.maxVersions = max;
            return this;
        }

        /** Recorded as the principal of every audit event of this client. */
        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        /**
         * Adds an audit sink, besides those of {@code secrets.audit.log} (a {@link dev.secrets.audit.JsonLinesAuditSink})
         * and {@code secrets.audit.slf4j=true} (a {@link dev.secrets.audit.Slf4jAuditSink}).
         */
        public Builder auditSink(AuditSink sink) {
            auditSinks.add(Objects.requireNonNull(sink));
            return this;
        }

        /**
         * A rotator to use by its name, in addition to (and before) those found by
         * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.secrets.spi.Rotator}.
         */
        public Builder rotator(Rotator rotator) {
            rotators.add(Objects.requireNonNull(rotator));
            return this;
        }

        /**
         * Whether an operation whose audit event no sink could record fails ({@link AuditFailedException};
         * a write then writes nothing). Default {@code secrets.audit.fail-closed}, else true unless the
         * SLF4J sink is the only sink.
         */
        public Builder auditFailClosed(boolean failClosed) {
            this.auditFailClosed = failClosed;
            return this;
        }

        /** Where counters and timers go; default {@link SecretsMetrics#NONE}. */
        public Builder metrics(SecretsMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        /** The environment key URIs are read from; default the process environment. */
        public Builder environment(Function<String, String> env) {
            this.environment = Objects.requireNonNull(env);
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws ConfigurationException when no store is set, its scheme is unknown, or a key URI is bad
         */
        public SecretsClient build() {
            SecretsEngine engine = EngineAssembly.engine(new EngineAssembly.Settings(config, storeUri, objectStore,
                    new LinkedHashMap<>(keyUris), new LinkedHashMap<>(keyBytes), clock, ticker, random, cacheTtl, cacheMaxSize, maxVersions,
                    principal, List.copyOf(auditSinks), auditFailClosed, metrics, environment, refreshScheduler));
            Duration lease;
            try {
                lease = RotationTiming.lease(rotationLease, engine.config());
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            return new SecretsClient(engine, List.copyOf(rotators), environment, lease);
        }

        /**
         * Opens the store at {@code uri} with the backend registered for its scheme.
         *
         * @throws ConfigurationException for a URI without scheme or with a scheme no backend on the class path handles
         */
        public static ObjectStore openStore(String uri, SecretsConfig cfg) {
            return EngineAssembly.openStore(uri, cfg);
        }
    }
}
