package dev.secrets.spi;

import java.time.Instant;

/**
 * One audited operation. Never carries a value: only who did what to which secret and version,
 * when, and whether it worked (with the error's class on failure).
 *
 * @param time       when the operation finished
 * @param action     what was done, e.g. {@code secret.read}, {@code secret.write}, {@code label.move}
 * @param secretId   the secret, or null for store-wide operations
 * @param versionId  the version concerned, or null
 * @param outcome    {@code success} or {@code failure}
 * @param errorClass simple class name of the error on failure, else null
 * @param principal  the caller the application named when building its client, or null
 */
public record AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                         String principal) {
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
}
