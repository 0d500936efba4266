package dev.secrets.internal.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored state of one secret at one generation: metadata, labels, and every version's wrapped
 * data key and ciphertext. Mutable, but every use parses a fresh copy from stored bytes, changes it,
 * and writes it as a new generation; nothing shares an instance across threads.
 */
@JsonPropertyOrder({"format", "id", "generation", "tombstone", "kind", "description", "tags", "keyName", "created",
        "lastChanged", "lastRotated", "deletionDate", "rotation", "versions"})
public final class SecretRecord {
    public int format = 1;
    public String id;
    public long generation;
    /** A force-deleted or purged secret: absent to readers, but its generation number stays taken. */
    public boolean tombstone;
    public String kind;
    public String description;
    public Map<String, String> tags = new LinkedHashMap<>();
    public String keyName;
    public String created;
    public String lastChanged;
    public String lastRotated;
    public String deletionDate;
    public RotationState rotation;
    public List<VersionEntry> versions = new ArrayList<>();

    public VersionEntry version(String versionId) {
        for (VersionEntry v : versions) {
            if (v.id.equals(versionId)) {
                return v;
            }
        }
        return null;
    }

    public VersionEntry labelled(String label) {
        for (VersionEntry v : versions) {
            if (v.labels.contains(label)) {
                return v;
            }
        }
        return null;
    }

    /**
     * The version a read asks for: by ID when {@code versionId} is given, else by {@code label}
     * ({@code CURRENT} when null).
     *
     * @throws SecretNotFoundException when there is no such version or no version has the label
     */
    public VersionEntry select(Label label, String versionId) {
        if (versionId != null) {
            VersionEntry v = version(versionId);
            if (v == null) {
                throw new SecretNotFoundException("secret '" + id + "' has no version " + versionId);
            }
            return v;
        }
        Label want = label == null ? Label.CURRENT : label;
        VersionEntry v = labelled(want.name());
        if (v == null) {
            throw new SecretNotFoundException("secret '" + id + "' has no version labelled " + want);
        }
        return v;
    }

    /**
     * Refuses a secret scheduled for deletion.
     *
     * @throws SecretScheduledForDeletionException before its deletion date
     * @throws SecretNotFoundException on or after it (deleted, not purged yet)
     */
    public void checkNotDeleted(Instant now) {
        if (deletionDate != null) {
            Instant when = Instant.parse(deletionDate);
            if (!now.isBefore(when)) {
                throw new SecretNotFoundException("secret '" + id + "' was deleted on " + when);
            }
            throw new SecretScheduledForDeletionException(id, when);
        }
    }

    /**
     * Puts {@code label} on {@code v}, taking it from any other version; moving {@code CURRENT} gives
     * {@code PREVIOUS} to the version that had it, and a version that becomes {@code CURRENT} is no
     * longer {@code PREVIOUS}.
     *
     * @throws InvalidSecretException when a version would carry more than {@link Label#MAX_PER_VERSION} labels
     */
    public void attach(VersionEntry v, Label label) {
        VersionEntry holder = labelled(label.name());
        if (holder == v) {
            return;
        }
        if (holder != null) {
            holder.labels.remove(label.name());
            if (label.equals(Label.CURRENT)) {
                VersionEntry prev = labelled(Label.PREVIOUS.name());
                if (prev != null) {
                    prev.labels.remove(Label.PREVIOUS.name());
                }
                if (holder.labels.size() >= Label.MAX_PER_VERSION) {
                    throw new InvalidSecretException("version " + holder.id + " already carries " + Label.MAX_PER_VERSION + " labels");
                }
                holder.labels.add(Label.PREVIOUS.name());
            }
        }
        if (v.labels.size() >= Label.MAX_PER_VERSION) {
            throw new InvalidSecretException("version " + v.id + " already carries " + Label.MAX_PER_VERSION + " labels");
        }
        v.labels.add(label.name());
        if (label.equals(Label.CURRENT)) {
            v.labels.remove(Label.PREVIOUS.name());
        }
    }

    /**
     * Drops the oldest unlabelled versions until at most {@code max} are left.
     *
     * @throws InvalidSecretException when every version carries a label
     */
    public void trimVersions(int max) {
        while (versions.size() > max) {
            VersionEntry oldest = null;
            for (VersionEntry v : versions) {
                if (v.labels.isEmpty()) {
                    oldest = v;
                    break;
                }
            }
            if (oldest == null) {
                throw new InvalidSecretException("secret '" + id + "' has " + max
                        + " versions and every one carries a label; remove a label first");
            }
            versions.remove(oldest);
        }
    }
}
