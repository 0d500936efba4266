package dev.secrets;

import java.util.Objects;

/**
 * Why one secret of a batch read has no value, as AWS {@code BatchGetSecretValue} reports it: the
 * secret ID, an AWS error code and a message (never a value).
 *
 * <p>Codes: {@code ResourceNotFoundException} (no such secret, or no {@code CURRENT} version),
 * {@code InvalidRequestException} (its deletion is scheduled), {@code DecryptionFailure} (tampered, or
 * this client lacks or has the wrong master key), {@code InvalidParameterException} (not a valid ID),
 * {@code InternalServiceError} (anything else, such as an unreachable store).
 */
public record BatchGetError(String secretId, String errorCode, String message) {
    public static final String NOT_FOUND = "ResourceNotFoundException";
    public static final String INVALID_REQUEST = "InvalidRequestException";
    public static final String DECRYPTION_FAILURE = "DecryptionFailure";
    public static final String INVALID_PARAMETER = "InvalidParameterException";
    public static final String INTERNAL = "InternalServiceError";

    public BatchGetError {
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(errorCode, "errorCode");
    }

    /** The error of {@code secretId} for the library's exception {@code e}. */
    public static BatchGetError of(String secretId, SecretsException e) {
        String code;
        if (e instanceof SecretScheduledForDeletionException) {
            code = INVALID_REQUEST;
        } else if (e instanceof SecretNotFoundException) {
            code = NOT_FOUND;
        } else if (e instanceof SecretTamperedException || e instanceof MissingMasterKeyException
                || e instanceof WrongMasterKeyException) {
            code = DECRYPTION_FAILURE;
        } else if (e instanceof InvalidSecretException) {
            code = INVALID_PARAMETER;
        } else {
            code = INTERNAL;
        }
        return new BatchGetError(secretId, code, e.getMessage());
    }
}
