package dev.secrets.spi;

import java.time.Instant;

/**
 * One audited operation, or — for {@value #CACHED_READ} — the reads of one secret version served
 * from a client's cache over an interval. Never carries a value: only who did what to which secret
 * and version, when, and whether it worked (with the error's class on failure).
 *
 * <p>Action names are dotted, lower case: {@code secret.read}, {@code secret.read.cached},
 * {@code secret.describe}, {@code secret.list}, {@code secret.create}, {@code secret.write},
 * {@code secret.update}, {@code secret.tag}, {@code secret.untag}, {@code label.move},
 * {@code label.remove}, {@code secret.delete}, {@code secret.delete.force}, {@code secret.restore},
 * {@code secret.purge}, {@code secret.move-key}, {@code key.rotate}, {@code key.rewrap},
 * {@code rotation.status} and {@code rotation.<step>} for the steps of a rotation.
 *
 * @param time       when the operation finished; for {@value #CACHED_READ}, the last of the counted reads
 * @param action     what was done, e.g. {@code secret.read}, {@code secret.write}, {@code label.move}
 * @param secretId   the secret, or null for store-wide operations
 * @param versionId  the version concerned, or null
 * @param outcome    {@code success} or {@code failure}
 * @param errorClass simple class name of the error on failure, else null
 * @param principal  the caller the application named when building its client, or null
 * @param keyName    the master key concerned by a key operation ({@code key.rotate}, {@code key.rewrap},
 *                   the target of {@code secret.move-key}), else null
 * @param first      for {@value #CACHED_READ}: the first of the counted reads; else null
 * @param count      how many operations the event stands for: 1, or for {@value #CACHED_READ} the
 *                   number of cached reads between {@code first} and {@code time}
 */
public record AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                         String principal, String keyName, Instant first, long count) {
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    /** The action of an event counting cached reads. */
    public static final String CACHED_READ = "secret.read.cached";

    public AuditEvent {
        if (count < 1) {
            throw new IllegalArgumentException("an audit event stands for at least one operation, not " + count);
        }
    }

    /** An event for one operation. */
    public AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                      String principal, String keyName) {
        this(time, action, secretId, versionId, outcome, errorClass, principal, keyName, null, 1);
    }

    /** An event for one operation that concerns no master key in particular. */
    public AuditEvent(Instant time, String action, String secretId, String versionId, String outcome, String errorClass,
                      String principal) {
        this(time, action, secretId, versionId, outcome, errorClass, principal, null);
    }

    /** {@code count} successful reads of {@code versionId} served from the cache between {@code first} and {@code last}. */
    public static AuditEvent cachedReads(String secretId, String versionId, String principal, Instant first, Instant last, long count) {
        return new AuditEvent(last, CACHED_READ, secretId, versionId, SUCCESS, null, principal, null, first, count);
    }
}
