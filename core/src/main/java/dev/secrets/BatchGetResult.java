package dev.secrets;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a batch read ({@link SecretsClient#getSecretValues}): the {@code CURRENT} version of
 * each secret that could be read, in ID order, and one {@link BatchGetError} for each that could not —
 * a partial result, as AWS {@code BatchGetSecretValue} returns it. {@code nextToken} continues a batch
 * read by filter (null when it was the last page, and always for a read by IDs). {@code toString()}
 * masks the values (see {@link SecretVersion}).
 */
public record BatchGetResult(List<SecretVersion> values, List<BatchGetError> errors, String nextToken) {
    public BatchGetResult {
        values = List.copyOf(values);
        errors = List.copyOf(errors);
    }

    /** The value read for {@code secretId}, if it was read. */
    public Optional<SecretVersion> value(String secretId) {
        return values.stream().filter(v -> v.secretId().value().equals(secretId)).findFirst();
    }

    /** The error for {@code secretId}, if it could not be read. */
    public Optional<BatchGetError> error(String secretId) {
        return errors.stream().filter(e -> e.secretId().equals(secretId)).findFirst();
    }

    /** This result with another next token. */
    public BatchGetResult withNextToken(String token) {
        return new BatchGetResult(values, errors, token);
    }
}
