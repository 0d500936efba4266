package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationScheduleTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void rateInDays_addsTheIntervalToTheLastRotation() {
        RotationSchedule s = RotationSchedule.parse("rate(30 days)");
        assertThat(s.nextAfter(at("2026-01-31T10:15:00Z"))).contains(at("2026-03-02T10:15:00Z"));
        assertThat(s.rate()).contains(Duration.ofDays(30));
    }

    @Test
    void rateInHours_addsTheIntervalToTheLastRotation() {
        assertThat(RotationSchedule.parse("rate(12 hours)").nextAfter(at("2026-02-28T20:00:00Z")))
                .contains(at("2026-03-01T08:00:00Z"));
        assertThat(RotationSchedule.parse("rate(1 hour)").nextAfter(at("2026-02-28T20:00:00Z")))
                .contains(at("2026-02-28T21:00:00Z"));
    }

    @Test
    void rateInDays_isExactElapsedTimeAcrossDaylightSavingChanges() {
        // A rate is an interval, not a wall-clock time: 24 h after the last rotation whatever the zone.
        RotationSchedule s = RotationSchedule.parse("rate(1 day)", PARIS);
        assertThat(s.nextAfter(at("2026-03-28T12:00:00Z"))).contains(at("2026-03-29T12:00:00Z"));
    }

    @Test
    void unixCron_nextMatchStrictlyAfterTheLastRotation_inUtcByDefault() {
        RotationSchedule s = RotationSchedule.parse("0 3 * * *");
        assertThat(s.zone()).isEqualTo(java.time.ZoneOffset.UTC);
        assertThat(s.nextAfter(at("2026-05-10T02:59:00Z"))).contains(at("2026-05-10T03:00:00Z"));
        assertThat(s.nextAfter(at("2026-05-10T03:00:00Z"))).contains(at("2026-05-11T03:00:00Z"));
    }

    @Test
    void cronWrappedInCronParentheses_isAccepted() {
        assertThat(RotationSchedule.parse("cron(0 3 * * *)").nextAfter(at("2026-05-10T04:00:00Z")))
                .contains(at("2026-05-11T03:00:00Z"));
    }

    @Test
    void quartzLastDayOfMonth_handlesShortMonthsAndLeapYears() {
        RotationSchedule s = RotationSchedule.parse("0 0 3 L * ?");
        assertThat(s.nextAfter(at("2026-01-31T03:00:00Z"))).contains(at("2026-02-28T03:00:00Z"));
        assertThat(s.nextAfter(at("2028-01-31T04:00:00Z"))).contains(at("2028-02-29T03:00:00Z"));
        assertThat(s.nextAfter(at("2026-04-01T00:00:00Z"))).contains(at("2026-04-30T03:00:00Z"));
    }

    @Test
    void unixCronOnThe31st_skipsMonthsWithoutOne() {
        RotationSchedule s = RotationSchedule.parse("0 0 31 * *");
        assertThat(s.nextAfter(at("2026-01-31T00:00:00Z"))).contains(at("2026-03-31T00:00:00Z"));
        assertThat(s.nextAfter(at("2026-03-31T00:00:00Z"))).contains(at("2026-05-31T00:00:00Z"));
    }

    @Test
    void cronInAZone_followsTheLocalWallClockAcrossDaylightSavingChanges() {
        RotationSchedule s = RotationSchedule.parse("0 4 * * *", "Europe/Paris");
        // 04:00 in Paris is 03:00Z in winter and 02:00Z in summer (change on 2026-03-29).
        assertThat(s.nextAfter(at("2026-03-28T03:00:00Z"))).contains(at("2026-03-29T02:00:00Z"));
        assertThat(s.nextAfter(at("2026-03-27T03:00:00Z"))).contains(at("2026-03-28T03:00:00Z"));
        // Back to winter time on 2026-10-25.
        assertThat(s.nextAfter(at("2026-10-24T02:00:00Z"))).contains(at("2026-10-25T03:00:00Z"));
    }

    @Test
    void cronAtATimeSkippedBySpringForward_runsOnceThatDayAfterTheGap() {
        RotationSchedule s = RotationSchedule.parse("30 2 * * *", PARIS.getId());
        Instant dayBefore = at("2026-03-28T01:30:00Z"); // 02:30 CET on 28 March
        Instant next = s.nextAfter(dayBefore).orElseThrow();
        // 02:30 does not exist in Paris on 29 March; the run that day is at 03:30 CEST = 01:30Z.
        assertThat(next).isEqualTo(at("2026-03-29T01:30:00Z"));
        assertThat(s.nextAfter(next)).contains(at("2026-03-30T00:30:00Z"));
    }

    @Test
    void cronAtATimeRepeatedByFallBack_runsOnceThatDay() {
        RotationSchedule s = RotationSchedule.parse("30 1 * * *", NEW_YORK.getId());
        // 01:30 happens twice in New York on 2026-11-01 (EDT 05:30Z, then EST 06:30Z).
        Instant first = s.nextAfter(at("2026-10-31T12:00:00Z")).orElseThrow();
        assertThat(first).isEqualTo(at("2026-11-01T05:30:00Z"));
        assertThat(s.nextAfter(first)).contains(at("2026-11-02T06:30:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "rate(0 days)", "rate(5 weeks)", "rate(1001 days)", "rate(days)", "rate 5 days",
            "0 3 * *", "61 3 * * *", "0 0 3 * * * * *", "every day", "cron()", "0 0 3 ? * ? *"})
    void invalidExpression_isRefusedWithAClearError(String expression) {
        assertThatThrownBy(() -> RotationSchedule.parse(expression))
                .isInstanceOf(InvalidSecretException.class)
                .satisfiesAnyOf(
                        e -> assertThat(e).hasMessageContaining("rotation schedule"),
                        e -> assertThat(e).hasMessageContaining("cron expression"));
    }

    @Test
    void unknownZone_isRefused() {
        assertThatThrownBy(() -> RotationSchedule.parse("0 3 * * *", "Mars/Olympus"))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("Mars/Olympus");
    }
}
