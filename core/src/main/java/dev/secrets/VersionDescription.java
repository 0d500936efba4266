package dev.secrets;

import java.time.Instant;
import java.util.Set;

/**
 * A version as described: ID, labels, creation date, the master key version wrapping it and, for a
 * version whose value was destroyed ({@link SecretsClient#destroySecretVersion}), when; never the value.
 */
public record VersionDescription(String versionId, Set<Label> labels, Instant created, int keyVersion, Instant destroyed) {
    public VersionDescription {
        labels = Set.copyOf(labels);
    }

    /** A version whose value exists. */
    public VersionDescription(String versionId, Set<Label> labels, Instant created, int keyVersion) {
        this(versionId, labels, created, keyVersion, null);
    }

    /** Whether the value of this version was destroyed. */
    public boolean isDestroyed() {
        return destroyed != null;
    }
}
