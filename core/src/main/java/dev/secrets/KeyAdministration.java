package dev.secrets;

import dev.secrets.internal.SecretsEngine;
import dev.secrets.internal.crypto.KeyProviders;
import dev.secrets.spi.KeyRoot;
import java.util.List;
import java.util.function.Function;

/**
 * The master-key operations of {@link SecretsClient}: initializing a store for a key, rotating,
 * re-wrapping, moving a key to another root (rekey), retiring key versions, describing keys, and
 * moving a secret to another key. Users call them on {@link SecretsClient}; this package-private
 * superclass only keeps that facade's source readable. Thread-safe.
 */
abstract sealed class KeyAdministration permits SecretsClient {
    private final SecretsEngine engine;
    private final Function<String, String> environment;

    KeyAdministration(SecretsEngine engine, Function<String, String> environment) {
        this.engine = engine;
        this.environment = environment;
    }

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
}
