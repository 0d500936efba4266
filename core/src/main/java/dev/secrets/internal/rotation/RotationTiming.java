package dev.secrets.internal.rotation;

import dev.secrets.InvalidSecretException;
import dev.secrets.RotationSchedule;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import java.time.Duration;
import java.time.Instant;

/** When rotations run: the next scheduled date, whether one is due, and the lease's length. Pure; thread-safe. */
public final class RotationTiming {
    private RotationTiming() {
    }

    /**
     * The lease: {@code explicit} if given, else {@code secrets.rotation.lease}, else {@link #DEFAULT_LEASE}.
     *
     * @throws dev.secrets.ConfigurationException when shorter than 10 seconds
     */
    public static Duration lease(Duration explicit, dev.secrets.SecretsConfig cfg) {
        Duration d = explicit != null ? explicit : cfg.duration(RotationEngine.LEASE_KEY, RotationEngine.DEFAULT_LEASE);
        if (d.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new dev.secrets.ConfigurationException(RotationEngine.LEASE_KEY + " must be at least 10s, not " + d);
        }
        return d;
    }

    /** Whether a scheduled rotation should start (or resume) now. */
    static boolean due(SecretRecord r, Instant now) {
        RotationState s = r.rotation;
        if (s == null || !s.enabled) {
            return false;
        }
        if ("failed".equals(s.lastOutcome) && s.lastAttempt != null && Instant.parse(s.lastAttempt).plus(RotationEngine.FAILURE_RETRY).isAfter(now)) {
            return false;
        }
        if (s.pendingVersion != null) {
            return true;
        }
        Instant next = nextRotation(r);
        return next != null && !next.isAfter(now);
    }

    /**
     * When the next scheduled rotation is due: computed from the schedule and the last change of
     * {@code CURRENT} (a manual write counts as a rotation), or from creation when there was none.
     * Null without a schedule, when disabled, or when the schedule cannot be read.
     */
    public static Instant nextRotation(SecretRecord r) {
        RotationState s = r.rotation;
        if (s == null || s.schedule == null || !s.enabled) {
            return null;
        }
        String base = r.lastRotated != null ? r.lastRotated : r.created;
        if (base == null) {
            return null;
        }
        try {
            return RotationSchedule.parse(s.schedule, s.zone).nextAfter(Instant.parse(base)).orElse(null);
        } catch (InvalidSecretException e) {
            return null;
        }
    }

}
