package dev.secrets;

/**
 * What one rotation attempt did, as returned by {@link SecretsClient#runDueRotations()}.
 *
 * @param secretId  the secret
 * @param succeeded whether the rotation completed
 * @param versionId the version ID of the new {@code CURRENT} on success, or of the pending version on failure
 * @param failedStep the step that failed, or null
 * @param error     the value-free error of a failure, or null
 */
public record RotationOutcome(SecretId secretId, boolean succeeded, String versionId, String failedStep, String error) {
}
