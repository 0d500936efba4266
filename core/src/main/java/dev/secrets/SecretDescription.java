package dev.secrets;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything about a secret except its value. Immutable.
 *
 * @param id           the secret's ID
 * @param kind         its kind
 * @param description  its description, or empty string
 * @param tags         its tags
 * @param keyName      the master key it is encrypted under
 * @param created      when it was created
 * @param lastChanged  when its value, labels or metadata last changed
 * @param lastAccessed the day its value was last read (day precision, as AWS), or null
 * @param lastRotated  when a value was last written (a manual write counts), or null
 * @param rotation     rotation settings and status, or null when rotation was never configured
 * @param versions     every version with its labels, newest first
 * @param deletionDate when a scheduled deletion purges it, or null
 */
public record SecretDescription(SecretId id, SecretKind kind, String description, Map<String, String> tags, String keyName,
                                Instant created, Instant lastChanged, Instant lastAccessed, Instant lastRotated,
                                RotationDescription rotation, List<VersionDescription> versions, Instant deletionDate) {
    public SecretDescription {
        tags = Map.copyOf(tags);
        versions = List.copyOf(versions);
    }

    /** The version carrying {@code label}, if any. */
    public Optional<VersionDescription> versionWith(Label label) {
        return versions.stream().filter(v -> v.labels().contains(label)).findFirst();
    }

    /** True when deletion is scheduled. */
    public boolean isScheduledForDeletion() {
        return deletionDate != null;
    }
}
