package dev.secrets;

import java.time.Instant;

/**
 * The secret is scheduled for deletion: its value cannot be read or changed until it is restored.
 * {@link #deletionDate()} is when it will be purged.
 */
public class SecretScheduledForDeletionException extends SecretsException {
    private static final long serialVersionUID = 1L;
    private final Instant deletionDate;

    public SecretScheduledForDeletionException(String secretId, Instant deletionDate) {
        super("secret '" + secretId + "' is scheduled for deletion on " + deletionDate
                + "; restore it to use it again");
        this.deletionDate = deletionDate;
    }

    public Instant deletionDate() {
        return deletionDate;
    }
}
