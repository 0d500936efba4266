package dev.secrets.internal.repository;

import dev.secrets.ConflictException;
import dev.secrets.Label;
import dev.secrets.SecretId;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.internal.crypto.Aead;
import dev.secrets.internal.crypto.Keyring;
import dev.secrets.internal.keys.KeyringStore;
import dev.secrets.internal.record.Envelope;
import dev.secrets.internal.record.RecordCodec;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.record.VersionHygiene;
import dev.secrets.internal.store.RecordLog;
import dev.secrets.internal.store.StoreIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The secrets' records in the store: loads and verifies them (MAC, keyring, generation), opens and
 * seals their versions, and writes changes with the record log's compare-and-set loop. Knows
 * nothing of the cache, audit or the API's requests. Thread-safe.
 */
public final class SecretRepository {
    /** The record log of secret ID {@code X} is named {@code secrets/X}. */
    static final String SECRETS = "secrets/";
    private static final int WRITE_ATTEMPTS = 200;

    private final RecordLog log;
    private final StoreIdentity identity;
    private final KeyringStore keyrings;
    private final Set<String> keyNames;
    private final KeyBinding pins;
    private final SecureRandom random;
    private final Clock clock;
    private final Runnable beforeWrite;

    /**
     * @param keyNames    the master keys this client holds a root for
     * @param beforeWrite run before every compare-and-set loop (the audit pre-check); throwing stops the write
     */
    public SecretRepository(RecordLog log, StoreIdentity identity, KeyringStore keyrings, Set<String> keyNames, KeyBinding pins,
                            SecureRandom random, Clock clock, Runnable beforeWrite) {
        this.pins = pins;
        this.log = log;
        this.identity = identity;
        this.keyrings = keyrings;
        this.keyNames = Set.copyOf(keyNames);
        this.random = random;
        this.clock = clock;
        this.beforeWrite = beforeWrite;
    }

    /** Which master key each secret ID is bound to ({@code secrets.keys.NAME.prefixes}). */
    public KeyBinding pins() {
        return pins;
    }

    /** The keyrings of this store's master keys. */
    public KeyringStore keyrings() {
        return keyrings;
    }

    /** The store's identity, empty while nothing was ever written to it. */
    public Optional<String> storeId() {
        return identity.existing();
    }

    /** The store's identity, created if absent (before a first write). */
    public String storeIdForWrite() {
        return identity.forWrite();
    }

    /**
     * The store's identity for a change to an existing secret.
     *
     * @throws SecretNotFoundException when nothing was ever written to the store
     */
    public String storeIdOf(SecretId id) {
        return identity.existing().orElseThrow(() -> notFound(id));
    }

    /** Whether this client holds a root for master key {@code keyName}. */
    public boolean holdsKey(String keyName) {
        return keyNames.contains(keyName);
    }

    public static SecretNotFoundException notFound(SecretId id) {
        return new SecretNotFoundException("secret '" + id + "' does not exist");
    }

    /**
     * A record as read, verified; {@code record} is null when the secret does not exist (or is a
     * tombstone), {@code entry} null when its log does not exist, {@code storeId} null when the store is empty.
     */
    public record Loaded(RecordLog.Entry entry, SecretRecord record, String storeId) {
    }

    /** Reads and verifies the latest record of {@code id} (this client must hold its master key). */
    public Loaded load(SecretId id) {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return new Loaded(null, null, null);
        }
        Optional<RecordLog.Entry> e = readLog(id);
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

    /** The latest record of {@code id} for its metadata: verified when this client holds its key, else only parsed. Null when absent. */
    public SecretRecord loadAnyKey(SecretId id) {
        Optional<String> storeId = identity.existing();
        if (storeId.isEmpty()) {
            return null;
        }
        return readLog(id).map(entry -> decodeForListing(id.value(), entry, storeId.get())).orElse(null);
    }

    private Optional<RecordLog.Entry> readLog(SecretId id) {
        try {
            return log.read(SECRETS + id.value());
        } catch (RecordLog.CorruptRecordException ex) {
            throw RecordCodec.tampered(id.value(), ex);
        }
    }

    /** Verified when this client holds the key; otherwise parsed for its (value-free) metadata. Null for a tombstone. */
    SecretRecord decodeForListing(String id, RecordLog.Entry entry, String storeId) {
        RecordCodec.Header h = RecordCodec.header(id, entry.payload());
        SecretRecord r;
        if (keyNames.contains(h.keyName())) {
            r = RecordCodec.decode(id, entry.generation(), entry.payload(), storeId, (name, version) -> keyVersion(storeId, name, version, id));
            log.confirm(SECRETS + id, entry.generation());
        } else {
            r = RecordCodec.decodeUnverified(id, entry.payload());
        }
        return r.tombstone ? null : r;
    }

    /** Parses an object of secret {@code id}'s log that a listing found at {@code key}. */
    RecordLog.Entry parse(String id, String key, byte[] bytes) {
        return log.parse(SECRETS + id, key, bytes);
    }

    /**
     * Reads one version of a secret and decrypts it.
     *
     * @throws SecretNotFoundException when the secret, the version or the label does not exist
     * @throws dev.secrets.SecretScheduledForDeletionException when its deletion is scheduled
     */
    public SecretVersion read(SecretId id, Label label, String versionId) {
        Loaded l = load(id);
        SecretRecord r = l.record();
        if (r == null) {
            throw notFound(id);
        }
        r.checkNotDeleted(clock.instant());
        return open(r, r.select(label, versionId), l.storeId());
    }

    /**
     * The {@code CURRENT} version of a secret from its latest record as a listing found it (null: no
     * record), verified and decrypted as {@link #read} does.
     */
    public SecretVersion openCurrent(SecretId id, RecordLog.Entry latest) {
        String storeId = storeIdOf(id);
        SecretRecord r = latest == null ? null : RecordCodec.decode(id.value(), latest.generation(), latest.payload(), storeId,
                (name, version) -> keyVersion(storeId, name, version, id.value()));
        if (r == null || r.tombstone) {
            throw notFound(id);
        }
        r.checkNotDeleted(clock.instant());
        return open(r, r.select(Label.CURRENT, null), storeId);
    }

    /** Deletes every generation of secret {@code id}'s log older than {@code generation} (they hold destroyed values). */
    public void removeOlderThan(SecretId id, long generation) {
        log.removeOlderThan(SECRETS + id.value(), generation);
    }

    /** Decrypts version {@code v} of {@code r}. */
    public SecretVersion open(SecretRecord r, VersionEntry v, String storeId) {
        VersionHygiene.requireValue(r, v);
        Keyring.Version key = keyVersion(storeId, r.keyName, v.keyVersion, r.id);
        SecretValue value;
        try {
            value = Envelope.open(v, storeId, r.id, key);
        } catch (Aead.DecryptionFailedException e) {
            throw new SecretTamperedException("secret '" + r.id + "' version " + v.id
                    + " failed decryption: its ciphertext or data key was altered or moved from elsewhere", e);
        }
        return new SecretVersion(SecretId.of(r.id), v.id, v.labelSet(), Instant.parse(v.created), value);
    }

    /** Version {@code version} of master key {@code keyName}, as the record of {@code secretId} names it. */
    public Keyring.Version keyVersion(String storeId, String keyName, int version, String secretId) {
        Keyring k = keyrings.get(storeId, keyName, version);
        Keyring.Version kv = k.version(version);
        if (kv == null) {
            throw new SecretTamperedException("secret '" + secretId + "' names version " + version + " of master key '" + keyName
                    + "', which its keyring does not have");
        }
        return kv;
    }

    /** A new version {@code versionId} of {@code value}, sealed under {@code keyring}'s primary version. */
    public VersionEntry seal(String storeId, String secretId, String versionId, Keyring keyring, SecretValue value) {
        VersionEntry v = new VersionEntry();
        v.id = versionId;
        Envelope.seal(v, storeId, secretId, keyring.primary(), value, random);
        return v;
    }

    /** Re-wraps the data key of {@code v} of secret {@code secretId} under {@code to}; {@code what} names the step in the error. */
    public void rewrap(VersionEntry v, String storeId, String secretId, Keyring.Version from, Keyring.Version to, String what) {
        try {
            Envelope.rewrap(v, storeId, secretId, from, to, random);
        } catch (Aead.DecryptionFailedException e) {
            throw new SecretTamperedException("secret '" + secretId + "' version " + v.id + " failed decryption" + what, e);
        }
    }

    /** Whether version {@code v} of {@code r} holds {@code value} (false for a null value or a destroyed version). */
    public boolean sameValue(SecretRecord r, VersionEntry v, String storeId, SecretValue value) {
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

    /**
     * Applies {@code change} to the secret's latest record (null when it does not exist) and
     * writes the result as the next generation, retrying on conflict. {@code change} returns null
     * for "nothing to write"; it may run several times and must not have side effects beyond the
     * record it is given.
     *
     * @return the record written, or the unchanged record when {@code change} returned null
     * @throws ConflictException when other writers won {@value #WRITE_ATTEMPTS} times in a row
     */
    public SecretRecord mutate(SecretId id, String storeId, Function<SecretRecord, SecretRecord> change) {
        String name = SECRETS + id.value();
        beforeWrite.run();
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Loaded l = load(id);
            SecretRecord next = change.apply(l.record());
            if (next == null) {
                return l.record();
            }
            next.id = id.value();
            next.generation = l.entry() == null ? 1 : l.entry().generation() + 1;
            Keyring keyring = keyrings.forWrite(storeId, next.keyName);
            byte[] payload = RecordCodec.encode(next, storeId, keyring.primary());
            if (log.append(name, l.entry(), payload)) {
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
}
