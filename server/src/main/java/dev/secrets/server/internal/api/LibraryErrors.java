package dev.secrets.server.internal.api;

import dev.secrets.AuditFailedException;
import dev.secrets.ConflictException;
import dev.secrets.InvalidSecretException;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.RotationFailedException;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretScheduledForDeletionException;
import dev.secrets.SecretTamperedException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.WrongMasterKeyException;

/** The library's exceptions as AWS's error types. Messages are the library's, which never hold a value. */
final class LibraryErrors {
    private LibraryErrors() {
    }

    static AwsError map(RuntimeException e) {
        if (e instanceof AwsError a) {
            return a;
        }
        if (e instanceof SecretScheduledForDeletionException) {
            return AwsError.invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
        }
        if (e instanceof SecretNotFoundException) {
            return AwsError.notFound(e.getMessage());
        }
        if (e instanceof InvalidSecretException) {
            String m = e.getMessage();
            return m != null && m.contains("already exists") ? AwsError.exists(m) : AwsError.invalidParameter(m);
        }
        if (e instanceof ConflictException) {
            return AwsError.invalidRequest(e.getMessage());
        }
        if (e instanceof SecretTamperedException || e instanceof MissingMasterKeyException || e instanceof WrongMasterKeyException) {
            return new AwsError("DecryptionFailure", 400, "Secrets Manager can't decrypt the protected secret text: " + e.getMessage());
        }
        if (e instanceof RotationFailedException) {
            return AwsError.invalidRequest(e.getMessage());
        }
        if (e instanceof StoreUnavailableException) {
            // The store did not answer (S3 down, a disk error): AWS's answer for a temporary failure,
            // which the SDKs retry. The library's message names the store and key: not for callers.
            return AwsError.unavailable();
        }
        if (e instanceof AuditFailedException) {
            return AwsError.internal();
        }
        return null; // unexpected: the caller answers InternalServiceError without detail
    }
}
