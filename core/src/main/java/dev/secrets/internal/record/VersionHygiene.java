package dev.secrets.internal.record;

import dev.secrets.ConflictException;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretNotFoundException;
import dev.secrets.VersionDestroyedException;
import java.time.Instant;

/**
 * The rules on a record for check-and-set writes and destroyed versions, applied inside the
 * repository's compare-and-set so that they hold against concurrent writers. Stateless.
 */
public final class VersionHygiene {
    /** Most versions a secret may be configured to keep (the contract's limit). */
    static final int MAX_VERSIONS_LIMIT = 100;
    /** Fewest: a new CURRENT and the PREVIOUS it displaces. */
    static final int MIN_VERSIONS = 2;

    private VersionHygiene() {
    }

    /** Throws {@link ConflictException} when {@code req} expects another {@code CURRENT} than {@code r} has. */
    public static void checkExpectedCurrent(SecretRecord r, PutSecretValueRequest req) {
        String expected = req.expectedCurrentVersionId();
        if (expected == null) {
            return;
        }
        VersionEntry current = r.labelled(Label.CURRENT.name());
        if (current == null || !current.id.equals(expected)) {
            throw new ConflictException("secret '" + r.id + "' was not written: its CURRENT version is "
                    + (current == null ? "none" : current.id) + ", not " + expected + " as expected; read it again and retry");
        }
    }

    /** Throws {@link VersionDestroyedException} when the value of {@code v} was destroyed. */
    public static void requireValue(SecretRecord r, VersionEntry v) {
        if (v.destroyed != null) {
            throw new VersionDestroyedException("version " + v.id + " of secret '" + r.id + "' was destroyed on " + v.destroyed
                    + "; its value no longer exists");
        }
    }

    /**
     * The change that destroys the value of version {@code versionId}: its data key, nonce and ciphertext
     * are removed and its labels taken off; it stays listed with the date. Null (nothing to write) when
     * it was destroyed already.
     *
     * @throws SecretNotFoundException when the secret or the version does not exist
     * @throws InvalidSecretException when the version is {@code CURRENT} (move {@code CURRENT} first)
     */
    public static SecretRecord destroy(SecretRecord r, String secretId, String versionId, Instant now) {
        if (r == null) {
            throw new SecretNotFoundException("secret '" + secretId + "' does not exist");
        }
        VersionEntry v = r.version(versionId);
        if (v == null) {
            throw new SecretNotFoundException("secret '" + secretId + "' has no version " + versionId);
        }
        if (v.destroyed != null) {
            return null;
        }
        if (v.labels.contains(Label.CURRENT.name())) {
            throw new InvalidSecretException("version " + versionId + " of secret '" + secretId
                    + "' is CURRENT and cannot be destroyed; write a new value (or move CURRENT) first");
        }
        v.labels.clear();
        v.wrappedKey = null;
        v.nonce = null;
        v.ciphertext = null;
        v.destroyed = now.toString();
        r.lastChanged = now.toString();
        return r;
    }

    /** {@code secrets.versions.max} checked against the contract's bounds. */
    public static int maxVersions(dev.secrets.SecretsConfig config) {
        if (config == null) {
            return MAX_VERSIONS_LIMIT;
        }
        int n = config.integer(dev.secrets.SecretsConfig.VERSIONS_MAX, MAX_VERSIONS_LIMIT, MIN_VERSIONS);
        if (n > MAX_VERSIONS_LIMIT) {
            throw new dev.secrets.ConfigurationException(dev.secrets.SecretsConfig.VERSIONS_MAX + " is " + n + "; it must be "
                    + MIN_VERSIONS + " to " + MAX_VERSIONS_LIMIT);
        }
        return n;
    }
}
