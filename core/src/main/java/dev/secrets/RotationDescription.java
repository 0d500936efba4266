package dev.secrets;

import java.time.Instant;
import java.util.Map;

/**
 * Rotation settings and status of a secret, as described. Holds no value; parameters name
 * fields and other secrets, never secret material.
 *
 * @param rotator        the rotator's name
 * @param schedule       {@code rate(N days)}, {@code rate(N hours)} or a cron expression (see {@link RotationSchedule}); null when rotated only on demand
 * @param parameters     the rotator's parameters
 * @param enabled        whether scheduled rotation is on
 * @param nextRotation   when the next scheduled rotation is due (from the schedule and the last change of
 *                       {@code CURRENT}, by rotation or manual write), or null without a schedule or when disabled
 * @param lastAttempt    when a rotation last ran, or null
 * @param lastOutcome    {@code succeeded}, {@code failed}, or null
 * @param failedStep     the step of the last failed attempt, or null
 * @param lastError      the value-free error of the last failed attempt, or null
 * @param pendingVersion the version ID of a rotation in progress, or null
 * @param zone           the time zone of a cron schedule, or null for UTC
 */
public record RotationDescription(String rotator, String schedule, Map<String, String> parameters, boolean enabled,
                                  Instant nextRotation, Instant lastAttempt, String lastOutcome, String failedStep,
                                  String lastError, String pendingVersion, String zone) {
    public RotationDescription {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
