package dev.secrets.internal;

import dev.secrets.Label;
import dev.secrets.RotationStatus;
import dev.secrets.SecretId;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import dev.secrets.internal.rotation.RotationTiming;
import dev.secrets.SecretsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Decides from a secret's record whether its rotation is overdue, failing or stuck. Pure; thread-safe. */
public final class RotationStatusCheck {
    /** The outcome the rotation engine records for a failed attempt. */
    public static final String FAILED = "failed";

    private RotationStatusCheck() {
    }

    /**
     * The status of {@code r} at {@code now}, or empty when its rotation needs no attention.
     * Overdue means past {@code nextRotation} by more than {@code graceSeconds}.
     */
    public static Optional<RotationStatus> of(SecretRecord r, Instant now, long graceSeconds) {
        return of(r, now, graceSeconds, null);
    }

    /**
     * As {@link #of(SecretRecord, Instant, long)}, also reporting {@link RotationStatus.Problem#TOO_OLD} when
     * {@code CURRENT} is older than the secret's tag {@value #MAX_AGE}, else {@code storeMaxAge} (null: none).
     */
    public static Optional<RotationStatus> of(SecretRecord r, Instant now, long graceSeconds, Duration storeMaxAge) {
        if (r == null || r.tombstone || r.deletionDate != null) {
            return Optional.empty();
        }
        RotationState s = r.rotation;
        Set<RotationStatus.Problem> problems = EnumSet.noneOf(RotationStatus.Problem.class);
        // The schedule's next date, as the scheduler computes it; a stored date only when there is no schedule to compute from.
        Instant next = s == null ? null : RotationTiming.nextRotation(r);
        if (next == null && s != null) {
            next = instant(s.nextRotation);
        }
        if (s != null && s.enabled && next != null && next.plusSeconds(graceSeconds).isBefore(now)) {
            problems.add(RotationStatus.Problem.OVERDUE);
        }
        if (s != null && FAILED.equalsIgnoreCase(s.lastOutcome)) {
            problems.add(RotationStatus.Problem.FAILING);
        }
        String pending = null;
        for (VersionEntry v : r.versions) {
            if (v.labels.contains(Label.PENDING.name()) && !v.labels.contains(Label.CURRENT.name())) {
                pending = v.id;
            }
        }
        Instant lease = s == null ? null : instant(s.leaseUntil);
        if (pending != null && (lease == null || !lease.isAfter(now))) {
            problems.add(RotationStatus.Problem.STUCK);
        }
        Duration maxAge = maxAge(r, storeMaxAge);
        Instant changed = instant(r.lastRotated != null ? r.lastRotated : r.created);
        if (maxAge != null && changed != null && changed.plus(maxAge).isBefore(now)) {
            problems.add(RotationStatus.Problem.TOO_OLD);
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RotationStatus(SecretId.of(r.id), problems, s == null ? null : s.rotator, next,
                s == null ? null : instant(s.lastAttempt), s == null ? null : s.lastOutcome, s == null ? null : s.failedStep,
                s == null ? null : s.lastError, pending != null ? pending : (s == null ? null : s.pendingVersion),
                s == null ? null : s.completedStep, lease));
    }

    /** The tag that sets a secret's own maximum age ({@code 90d}, {@code 2160h}, ISO-8601). */
    public static final String MAX_AGE = "secrets.max-age";

    /** The secret's maximum age: its tag, else the store-wide one; null when neither is set. */
    static Duration maxAge(SecretRecord r, Duration storeMaxAge) {
        String tag = r.tags == null ? null : r.tags.get(MAX_AGE);
        if (tag != null) {
            try {
                return SecretsConfig.parseDuration(MAX_AGE, tag);
            } catch (RuntimeException e) {
                return storeMaxAge; // refused when the tag is written; an older record's bad tag falls back
            }
        }
        return storeMaxAge;
    }

    /** Whether the secret has a maximum age of its own. */
    public static boolean hasOwnMaxAge(SecretRecord r) {
        return r.tags != null && r.tags.containsKey(MAX_AGE);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
