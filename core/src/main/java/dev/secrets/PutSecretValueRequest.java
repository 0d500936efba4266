package dev.secrets;

import java.util.List;
import java.util.Objects;

/**
 * A new value for an existing secret. Without labels the new version becomes {@code CURRENT} and
 * the old {@code CURRENT} becomes {@code PREVIOUS}; with labels, only those move to the new version
 * (and, as always when {@code CURRENT} moves, the version that had it becomes {@code PREVIOUS}).
 *
 * @param id     the secret
 * @param value  the value; it must fit the secret's kind
 * @param token  idempotency token that becomes the version ID, or null for a random UUID: the same
 *               token with the same value is the same version and writes nothing; with another value it is an error
 * @param labels labels for the new version, or null for the default ({@code CURRENT})
 * @param expectedCurrentVersionId check-and-set: when not null, the write happens only if the version
 *               labelled {@code CURRENT} is this one when the write is applied (atomically, in the same
 *               compare-and-set); otherwise {@link ConflictException} and nothing is written. A repeat of an
 *               already written token is still idempotent.
 */
public record PutSecretValueRequest(String id, SecretValue value, String token, List<Label> labels,
                                    String expectedCurrentVersionId) {
    public PutSecretValueRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        labels = labels == null ? null : List.copyOf(labels);
    }

    /** A write without check-and-set. */
    public PutSecretValueRequest(String id, SecretValue value, String token, List<Label> labels) {
        this(id, value, token, labels, null);
    }

    public static PutSecretValueRequest of(String id, SecretValue value) {
        return new PutSecretValueRequest(id, value, null, null, null);
    }

    public PutSecretValueRequest withToken(String t) {
        return new PutSecretValueRequest(id, value, t, labels, expectedCurrentVersionId);
    }

    public PutSecretValueRequest withLabels(Label... l) {
        return new PutSecretValueRequest(id, value, token, List.of(l), expectedCurrentVersionId);
    }

    public PutSecretValueRequest withLabels(List<Label> l) {
        return new PutSecretValueRequest(id, value, token, l, expectedCurrentVersionId);
    }

    /** Check-and-set: write only if {@code CURRENT} is still version {@code versionId}. */
    public PutSecretValueRequest ifCurrentIs(String versionId) {
        return new PutSecretValueRequest(id, value, token, labels, versionId);
    }

    @Override
    public String toString() {
        return "PutSecretValueRequest[" + id + ", token=" + token + ", labels=" + labels
                + (expectedCurrentVersionId == null ? "" : ", ifCurrentIs=" + expectedCurrentVersionId) + ", " + value + "]";
    }
}
