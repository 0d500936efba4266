package dev.secrets.spi;

import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Rotator} step sees of the rotation in progress: the secret, the rotation token (the
 * version ID of the pending value), its values, its parameters, and other secrets. Reads go to the
 * store, never a cache. One context serves the steps of one attempt; not to be shared across threads.
 */
public interface RotationContext {
    /** The secret being rotated. */
    SecretId secretId();

    /** Its kind. */
    SecretKind kind();

    /** The rotation token: the version ID the pending value has (or will have). */
    String token();

    /** The rotator parameters from the secret's rotation settings (names of fields and secrets, never values). */
    Map<String, String> parameters();

    /** The {@code CURRENT} version; empty when the secret has no value yet. */
    Optional<SecretVersion> current();

    /** The {@code PREVIOUS} version, if any. */
    Optional<SecretVersion> previous();

    /** The version with the token as its ID — the pending value — once {@link #putPendingValue} stored it. */
    Optional<SecretVersion> pendingValue();

    /**
     * Stores {@code value} as the version with the token as its ID, labelled {@code PENDING}.
     * Idempotent: storing the same value again writes nothing; another value for the same token
     * is an error ({@link dev.secrets.InvalidSecretException}).
     */
    void putPendingValue(SecretValue value);

    /** Moves {@code CURRENT} to the pending version (the old one becomes {@code PREVIOUS}); idempotent. */
    void promotePending();

    /**
     * The {@code CURRENT} version of another secret, such as the admin credentials a rotator uses.
     * Only a secret under the same master key as the rotated secret can be read: a runner holding
     * several teams' keys must not read one team's secret on the word of another team's settings.
     *
     * @throws dev.secrets.SecretNotFoundException when it does not exist
     * @throws dev.secrets.SecretsException when it is under another master key than the rotated secret
     */
    SecretVersion readSecret(String secretId);

    /** The client's random source. */
    SecureRandom random();

    /** The client's clock. */
    Clock clock();

    /**
     * Tells the engine that a long step is still at work, so that its lease on the rotation is extended
     * (measured by {@link #clock()}) and no other runner takes the rotation over. A step that may run
     * longer than the lease (waiting for sessions to drain, a slow target) calls it as it goes.
     *
     * @throws dev.secrets.ConflictException when the lease was lost meanwhile: the step must stop
     */
    default void renewLease() {
    }
}
