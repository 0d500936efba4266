package dev.secrets;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a secret is rotated: {@code rate(N days)}, {@code rate(N hours)} (1 to 1000 days), or a cron
 * expression evaluated in a time zone (UTC unless given).
 *
 * <p>Cron expressions may be written bare or as {@code cron(…)}. Five fields are Unix cron
 * ({@code minute hour day-of-month month day-of-week}, e.g. {@code 0 3 * * 1}); six or seven are
 * Quartz cron ({@code second minute hour day-of-month month day-of-week [year]}, with {@code ?},
 * {@code L}, {@code W}, {@code #}, e.g. {@code 0 0 3 L * ?} for 03:00 on the last day of each
 * month). Parsing and evaluation use cron-utils.
 *
 * <p>The next rotation is computed from the last one — the last change of {@code CURRENT}, by
 * rotation or by a manual write: for a rate, the last rotation plus the interval; for cron, the
 * first time the expression matches strictly after the last rotation, in the schedule's zone. A
 * local time that a daylight-saving change skips is moved forward by the gap (a 02:30 schedule
 * runs at 03:30 on that day); a local time that occurs twice runs once, at its first occurrence.
 *
 * <p>Immutable and thread-safe.
 */
public final class RotationSchedule {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d{1,7})\\s+(day|days|hour|hours)\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Duration MAX_RATE = Duration.ofDays(1000);

    /** Loaded on the first cron expression only: rate schedules never load cron-utils. */
    private static final class Parsers {
        static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    }

    private final String expression;
    private final ZoneId zone;
    private final Duration rate;
    private final ExecutionTime cron;

    private RotationSchedule(String expression, ZoneId zone, Duration rate, ExecutionTime cron) {
        this.expression = expression;
        this.zone = zone;
        this.rate = rate;
        this.cron = cron;
    }

    /** A schedule in UTC; see {@link #parse(String, String)}. */
    public static RotationSchedule parse(String expression) {
        return parse(expression, (String) null);
    }

    /**
     * Parses a schedule.
     *
     * @param zone a time-zone ID ({@code Europe/Paris}, {@code UTC}, {@code +02:00}) for cron
     *     expressions, or null for UTC
     * @throws InvalidSecretException saying what is wrong with the expression or the zone
     */
    public static RotationSchedule parse(String expression, String zone) {
        ZoneId z;
        try {
            z = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new InvalidSecretException("unknown time zone '" + zone + "'; use an ID such as UTC or Europe/Paris", e);
        }
        return parse(expression, z);
    }

    /** Parses a schedule whose cron expressions are evaluated in {@code zone}. */
    public static RotationSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (expression == null || expression.isBlank()) {
            throw new InvalidSecretException("the rotation schedule is empty; write rate(N days), rate(N hours) or a cron expression");
        }
        String text = expression.trim();
        if (text.toLowerCase(Locale.ROOT).startsWith("rate")) {
            Matcher m = RATE.matcher(text);
            if (!m.matches()) {
                throw new InvalidSecretException("rotation schedule '" + text + "' is not valid; write rate(N days) or rate(N hours)");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = m.group(2).toLowerCase(Locale.ROOT).startsWith("day") ? Duration.ofDays(n) : Duration.ofHours(n);
            if (n < 1 || d.compareTo(MAX_RATE) > 0) {
                throw new InvalidSecretException("rotation schedule '" + text + "' is out of range: the interval must be 1 hour to 1000 days");
            }
            return new RotationSchedule(text, zone, d, null);
        }
        Matcher m = CRON.matcher(text);
        String body = (m.matches() ? m.group(1) : text).trim();
        int fields = body.isEmpty() ? 0 : body.split("\\s+").length;
        CronParser parser;
        if (fields == 5) {
            parser = Parsers.UNIX;
        } else if (fields == 6 || fields == 7) {
            parser = Parsers.QUARTZ;
        } else {
            throw new InvalidSecretException("rotation schedule '" + text + "' is not valid: write rate(N days), rate(N hours), "
                    + "a 5-field Unix cron expression or a 6/7-field Quartz cron expression (it has " + fields + " fields)");
        }
        Cron cron;
        try {
            cron = parser.parse(body);
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretException("cron expression '" + body + "' is not valid: " + e.getMessage(), e);
        }
        return new RotationSchedule(text, zone, null, ExecutionTime.forCron(cron));
    }

    /**
     * The first rotation time after {@code lastRotation}.
     *
     * @return empty for a cron expression that never matches again (such as a past year)
     */
    public Optional<Instant> nextAfter(Instant lastRotation) {
        Objects.requireNonNull(lastRotation, "lastRotation");
        if (rate != null) {
            return Optional.of(lastRotation.plus(rate));
        }
        // Evaluate on the local wall clock (as if it were UTC, which has no gaps or overlaps), then place the
        // local time in the zone: a skipped time moves forward by the gap, a repeated one takes its first offset.
        LocalDateTime local = LocalDateTime.ofInstant(lastRotation, zone);
        for (int i = 0; i < 4; i++) {
            Optional<ZonedDateTime> n = cron.nextExecution(local.atZone(ZoneOffset.UTC));
            if (n.isEmpty()) {
                return Optional.empty();
            }
            local = n.get().toLocalDateTime();
            Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (at.isAfter(lastRotation)) {
                return Optional.of(at);
            }
        }
        throw new IllegalStateException("no next time found for cron expression '" + expression + "' in " + zone);
    }

    /** The expression as written. */
    public String expression() {
        return expression;
    }

    /** The zone cron expressions are evaluated in. */
    public ZoneId zone() {
        return zone;
    }

    /** The interval of a rate schedule; empty for cron. */
    public Optional<Duration> rate() {
        return Optional.ofNullable(rate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RotationSchedule && ((RotationSchedule) o).expression.equals(expression)
                && ((RotationSchedule) o).zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return expression.hashCode() * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return rate != null ? expression : expression + " [" + zone + "]";
    }
}
