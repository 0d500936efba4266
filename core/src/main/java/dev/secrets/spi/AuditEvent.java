package dev.secrets.spi;

import java.time.Instant;

/**
 * One audited operation. Never carries a value: only who did what to which secret and version,
 * when, and whether it worked (with the error's class on failure).
 *
 * <p>Action names are dotted, lower case: {@code secret.read}, {@code secret.describe},
 * {@code secret.list}, {@code secret.create}, {@code secret.write}, {@code secret.update},
 * {@code secret.tag}, {@code secret.untag}, {@code label.move}, {@code label.remove},
 * {@code secret.delete}, {@code secret.delete.force}, {@code secret.restore}, {@code secret.purge},
 * {@code secret.move-key}, {@code key.rotate}, {@code key.rewrap}, {@code rotation.status} and
 * {@code rotation.<step>} for the steps of a rotation.
 *
 * @param time       when the operation finished
 * @param action     what was done, e.g. {@code secret.read}, {@code secret.write}, {@code label.move}
 * @param secretId   the secret, or null for store-wide operations
 * @param versionId  the version concerned, or null
 * @param outcome    {@code success} or {@code failure}
 * @param errorClass simple class name of the error on failure, else null
 * @param principal  the caller the application named when building its client, or null
 * @param keyName    the master key concerned by a key operation ({@code key.rotate}, {@code key.rewrap},
 *                   the target of {@code secret.move-key}), else null
 */
public record AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                         String principal, String keyName) {
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    /** An event that concerns no master key in particular. */
    public AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                      String principal) {
        this(time, action, secretId, versionId, outcome, errorClass, principal, null);
    }
}
