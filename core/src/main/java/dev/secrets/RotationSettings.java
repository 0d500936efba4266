package dev.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a secret is rotated: the rotator, the schedule, and the rotator's parameters. Immutable.
 *
 * <pre>{@code
 * client.configureRotation("prod/app-db", RotationSettings.of("postgresql", "rate(30 days)")
 *         .withParameter("strategy", "alternating-users")
 *         .withParameter("adminSecretId", "prod/pg-admin"));
 * }</pre>
 *
 * @param rotator    the rotator's name ({@code random-password}, {@code postgresql}, or a custom one)
 * @param schedule   {@code rate(N days)}, {@code rate(N hours)}, a cron expression (see
 *                   {@link RotationSchedule}), or null to rotate only on demand
 * @param zone       the time zone of a cron schedule, or null for UTC
 * @param parameters the rotator's parameters: names of fields and secrets, options — never secret values
 * @param enabled    whether scheduled rotations run; "rotate now" works either way
 */
public record RotationSettings(String rotator, String schedule, String zone, Map<String, String> parameters, boolean enabled) {
    public RotationSettings {
        Objects.requireNonNull(rotator, "rotator");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** Settings for {@code rotator} on {@code schedule} (null for on demand only), in UTC, enabled, without parameters. */
    public static RotationSettings of(String rotator, String schedule) {
        return new RotationSettings(rotator, schedule, null, Map.of(), true);
    }

    public RotationSettings withZone(String z) {
        return new RotationSettings(rotator, schedule, z, parameters, enabled);
    }

    public RotationSettings withParameter(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(key, value);
        return new RotationSettings(rotator, schedule, zone, p, enabled);
    }

    public RotationSettings withParameters(Map<String, String> p) {
        return new RotationSettings(rotator, schedule, zone, p, enabled);
    }

    public RotationSettings withEnabled(boolean e) {
        return new RotationSettings(rotator, schedule, zone, parameters, e);
    }
}
