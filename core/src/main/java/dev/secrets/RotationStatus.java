package dev.secrets;

import java.time.Instant;
import java.util.Set;

/**
 * A secret whose rotation needs attention, as listed by {@link SecretsClient#rotationStatus()}: its rotation
 * is overdue, failing or stuck, or its value is older than its maximum age.
 * Holds no value.
 *
 * @param id             the secret
 * @param problems       what is wrong (at least one)
 * @param rotator        the rotator's name, or null
 * @param nextRotation   when the next scheduled rotation was due, or null
 * @param lastAttempt    when a rotation last ran, or null
 * @param lastOutcome    {@code succeeded}, {@code failed}, or null
 * @param failedStep     the step of the last failed attempt ({@code createSecret}, {@code setSecret}, …), or null
 * @param lastError      the value-free error of the last failed attempt, or null
 * @param pendingVersion the version labelled {@code PENDING} of a rotation in progress, or null
 * @param completedStep  the last step that completed in the rotation in progress, or null
 * @param leaseUntil     when the lease of the rotation in progress ends, or null
 */
public record RotationStatus(SecretId id, Set<Problem> problems, String rotator, Instant nextRotation, Instant lastAttempt,
                             String lastOutcome, String failedStep, String lastError, String pendingVersion,
                             String completedStep, Instant leaseUntil) {
    public RotationStatus {
        problems = Set.copyOf(problems);
    }

    /** What can be wrong with a rotation. */
    public enum Problem {
        /** Rotation is enabled and its next date has passed. */
        OVERDUE,
        /** The last attempt failed. */
        FAILING,
        /** A version is labelled {@code PENDING} and not {@code CURRENT}, and no live lease holds it: a rotation stopped part-way. */
        STUCK,
        /**
         * {@code CURRENT} is older than the maximum age — the secret's tag {@code secrets.max-age}, else the
         * store-wide setting {@code secrets.max-age} — whether or not rotation is configured. The age runs from
         * the last change of {@code CURRENT} (rotation or manual write), else from creation.
         */
        TOO_OLD
    }
}
