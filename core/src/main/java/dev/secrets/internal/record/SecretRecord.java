package dev.secrets.internal.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
}
