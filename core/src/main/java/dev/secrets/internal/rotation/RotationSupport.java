package dev.secrets.internal.rotation;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretId;
import dev.secrets.SecretVersion;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the rotation engine needs of a client, and nothing more: read secrets, write them (through
 * the audited client operations, or as a raw compare-and-set of the record for the rotation's own
 * state), audit, and the client's clock, randomness and metrics. Implemented by the client's
 * engine; lets rotation be built and tested without the whole client.
 */
public interface RotationSupport {
    // ---------------------------------------------------------------- read

    /** A version, as {@code SecretsClient.getSecretValue} (audited). */
    SecretVersion get(GetSecretValueRequest request);

    /** The description of a secret (audited). */
    SecretDescription describe(String id);

    /** Every secret's description, not audited; {@code includeScheduledForDeletion} as its name says. */
    List<SecretDescription> allSecrets(boolean includeScheduledForDeletion);

    /** The store's identity, empty while nothing was ever written to it. */
    Optional<String> storeId();

    // ---------------------------------------------------------------- write

    /** Writes a version, as {@code SecretsClient.putSecretValue} (validated, audited). Returns its ID. */
    String put(PutSecretValueRequest request);

    /** Moves a label, as {@code SecretsClient.moveLabel} (audited). */
    void moveLabel(String id, Label label, String toVersionId, String expectedFromVersionId);

    /** Removes a label, as {@code SecretsClient.removeLabel} (audited). */
    void removeLabel(String id, Label label);

    /**
     * Applies {@code change} to the secret's latest record by compare-and-set, retrying on conflict
     * (see the repository); not audited: the caller audits its own action.
     */
    SecretRecord mutate(SecretId id, String storeId, Function<SecretRecord, SecretRecord> change);

    // ---------------------------------------------------------------- audit and the client's environment

    /** Records an audit event; {@code error} null for success. */
    void audit(String action, String secretId, String versionId, Throwable error);

    Clock clock();

    SecureRandom random();

    SecretsMetrics metrics();
}
