package dev.secrets;

import java.time.Instant;
import java.util.Set;

/** A version as described: ID, labels, creation date and the master key version wrapping it; never the value. */
public record VersionDescription(String versionId, Set<Label> labels, Instant created, int keyVersion) {
    public VersionDescription {
        labels = Set.copyOf(labels);
    }
}
