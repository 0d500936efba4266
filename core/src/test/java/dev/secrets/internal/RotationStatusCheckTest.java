package dev.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.RotationStatus;
import dev.secrets.RotationStatus.Problem;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.record.SecretRecord;
import dev.secrets.internal.record.VersionEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RotationStatusCheckTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static SecretRecord record(RotationState s, String... labelsPerVersion) {
        SecretRecord r = new SecretRecord();
        r.id = "app/db";
        r.rotation = s;
        int i = 0;
        for (String labels : labelsPerVersion) {
            VersionEntry v = new VersionEntry();
            v.id = "v" + (++i);
            v.labels = labels.isEmpty() ? new java.util.ArrayList<>() : new java.util.ArrayList<>(List.of(labels.split(",")));
            r.versions.add(v);
        }
        return r;
    }

    private static RotationState state() {
        RotationState s = new RotationState();
        s.rotator = "random-password";
        s.schedule = "rate(30 days)";
        return s;
    }

    @Test
    void healthyRotation_isNotListed() {
        RotationState s = state();
        s.nextRotation = NOW.plusSeconds(3600).toString();
        s.lastOutcome = "succeeded";

        assertThat(RotationStatusCheck.of(record(s, "CURRENT", "PREVIOUS"), NOW, 0)).isEmpty();
    }

    @Test
    void noRotationAndNoPending_isNotListed() {
        assertThat(RotationStatusCheck.of(record(null, "CURRENT"), NOW, 0)).isEmpty();
    }

    @Test
    void pastNextRotation_isOverdue_unlessDisabledOrWithinGrace() {
        RotationState s = state();
        s.nextRotation = NOW.minusSeconds(120).toString();

        assertThat(RotationStatusCheck.of(record(s, "CURRENT"), NOW, 0).get().problems()).containsExactly(Problem.OVERDUE);
        assertThat(RotationStatusCheck.of(record(s, "CURRENT"), NOW, 300)).isEmpty();
        s.enabled = false;
        assertThat(RotationStatusCheck.of(record(s, "CURRENT"), NOW, 0)).isEmpty();
    }

    @Test
    void failedLastAttempt_isFailing_withItsStepErrorAndTime() {
        RotationState s = state();
        s.lastOutcome = "failed";
        s.failedStep = "testSecret";
        s.lastError = "SQLException: password authentication failed";
        s.lastAttempt = NOW.minusSeconds(60).toString();

        RotationStatus st = RotationStatusCheck.of(record(s, "CURRENT"), NOW, 0).get();

        assertThat(st.problems()).containsExactly(Problem.FAILING);
        assertThat(st.failedStep()).isEqualTo("testSecret");
        assertThat(st.lastError()).contains("authentication failed");
        assertThat(st.lastAttempt()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void pendingVersionWithoutLease_isStuck() {
        RotationState s = state();
        s.completedStep = "setSecret";

        RotationStatus st = RotationStatusCheck.of(record(s, "CURRENT", "PENDING"), NOW, 0).get();

        assertThat(st.problems()).containsExactly(Problem.STUCK);
        assertThat(st.pendingVersion()).isEqualTo("v2");
        assertThat(st.completedStep()).isEqualTo("setSecret");
    }

    @Test
    void pendingVersionWithExpiredLease_isStuck_butWithALiveLeaseIsInProgress() {
        RotationState s = state();
        s.leaseOwner = "host-1";
        s.leaseUntil = NOW.minusSeconds(1).toString();
        assertThat(RotationStatusCheck.of(record(s, "CURRENT", "PENDING"), NOW, 0).map(RotationStatus::problems))
                .isEqualTo(Optional.of(java.util.Set.of(Problem.STUCK)));

        s.leaseUntil = NOW.plusSeconds(60).toString();
        assertThat(RotationStatusCheck.of(record(s, "CURRENT", "PENDING"), NOW, 0)).isEmpty();
    }

    @Test
    void pendingOnTheCurrentVersion_isNotStuck() {
        assertThat(RotationStatusCheck.of(record(state(), "PREVIOUS", "CURRENT,PENDING"), NOW, 0)).isEmpty();
    }

    @Test
    void everyProblemAtOnce_isListedOnce() {
        RotationState s = state();
        s.nextRotation = NOW.minusSeconds(86_400).toString();
        s.lastOutcome = "failed";

        assertThat(RotationStatusCheck.of(record(s, "CURRENT", "PENDING"), NOW, 0).get().problems())
                .containsExactlyInAnyOrder(Problem.OVERDUE, Problem.FAILING, Problem.STUCK);
    }

    @Test
    void secretScheduledForDeletion_isNotListed() {
        RotationState s = state();
        s.lastOutcome = "failed";
        SecretRecord r = record(s, "CURRENT");
        r.deletionDate = NOW.plusSeconds(86_400).toString();

        assertThat(RotationStatusCheck.of(r, NOW, 0)).isEmpty();
    }
}
