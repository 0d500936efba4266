package dev.secrets;

import dev.secrets.internal.EngineAssembly;
import dev.secrets.internal.SecretReads;
import dev.secrets.internal.SecretsEngine;
import dev.secrets.internal.read.BatchReader;
import dev.secrets.internal.rotation.RotationEngine;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.Rotator;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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
 *
 * <p>(Its master-key operations — {@link #initialize}, {@link #rotateMasterKey}, {@link #rewrap},
 * {@link #rekey}, {@link #retireKeyVersion}, {@link #describeMasterKey}, {@link #masterKeyProvider},
 * {@link #masterKeyNames}, {@link #moveToKey} — are declared in a package-private superclass, to keep
 * each source file readable; they are methods of this class like any other.)
 */
public final class SecretsClient extends KeyAdministration implements AutoCloseable {
    private final SecretsEngine engine;
    /** The engine's read path, held directly: the everyday cached read is one hop shorter. */
    private final SecretReads reads;
    private final RotationEngine rotations;
    private final BatchReader batch;

    SecretsClient(SecretsEngine engine, List<Rotator> rotators, Function<String, String> environment, Duration rotationLease) {
        super(engine, environment);
        this.engine = engine;
        this.reads = engine.reads();
        this.rotations = new RotationEngine(engine, rotators, rotationLease);
        this.batch = engine.batch();
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
        return reads.getCurrent(id);
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
        return batch.readPage(engine.list(filter), filter.sort() != null);
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
    public static final class Builder extends ClientBuilder {
        Builder() {
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
