package dev.secrets;

import java.time.Instant;
import java.util.Set;

/**
 * One version of a secret as read: its value, version ID, labels and creation date. Immutable.
 * {@link #toString()} masks the value.
 *
 * @param secretId  the secret
 * @param versionId the version's ID (a UUID or the idempotency token it was written with)
 * @param labels    the labels the version had when it was read
 * @param created   when the version was written
 * @param value     the value
 */
public record SecretVersion(SecretId secretId, String versionId, Set<Label> labels, Instant created, SecretValue value) {
    public SecretVersion {
        labels = Set.copyOf(labels);
    }

    /** The field of a key/value value; see {@link SecretValue#field(String)}. */
    public String field(String name) {
        return value.field(name);
    }

    /** The text of the value; see {@link SecretValue#text()}. */
    public String text() {
        return value.text();
    }

    @Override
    public String toString() {
        return "SecretVersion[" + secretId + ", version=" + versionId + ", labels=" + labels + ", " + value + "]";
    }
}
