package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.RotationStatus.Problem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.rotation.RandomPasswordRotator;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import dev.secrets.internal.store.StoreIdentity;
import dev.secrets.testing.InMemoryObjectStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link SecretsClient#rotationStatus()} over an in-memory store, with rotation state set as the rotation engine records it. */
class RotationStatusTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final byte[] defaultRoot = new byte[32];
    private final byte[] paymentsRoot = new byte[32];

    private SecretsClient client(String keyName, byte[] root) {
        SecretsConfig cfg = IsolatedConfig.get();
        return SecretsClient.builder().config(cfg).store(store).masterKey(keyName, root).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    /** A secret last rotated a day ago on a 30-day schedule, with its rotation state then changed by {@code state}. */
    private static void create(SecretsClient c, String id, String keyName, Consumer<RotationState> state) {
        c.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText("v")).withKeyName(keyName));
        String storeId = new StoreIdentity(c.engine().store(), c.engine().clock()).existing().orElseThrow();
        c.engine().mutate(SecretId.of(id), storeId, r -> {
            r.lastRotated = NOW.minus(Duration.ofDays(1)).toString();
            r.rotation = new RotationState();
            r.rotation.rotator = "random-password";
            r.rotation.schedule = "rate(30 days)";
            r.rotation.lastOutcome = "succeeded";
            state.accept(r.rotation);
            return r;
        });
    }

    @Test
    void listsOverdueFailingAndStuckRotations_withTheirStepAndLastAttempt() {
        new SecureRandom().nextBytes(defaultRoot);
        new SecureRandom().nextBytes(paymentsRoot);
        try (SecretsClient c = client("default", defaultRoot); SecretsClient payments = client("payments", paymentsRoot)) {
            create(c, "a/healthy", "default", s -> { });
            create(c, "b/overdue", "default", s -> s.schedule = "rate(21 hours)"); // due 3 hours ago
            create(c, "c/failing", "default", s -> {
                s.lastOutcome = "failed";
                s.failedStep = "testSecret";
                s.lastError = "SQLException: FATAL: password authentication failed";
                s.lastAttempt = NOW.minus(Duration.ofMinutes(5)).toString();
            });
            create(c, "d/stuck", "default", s -> s.completedStep = "createSecret");
            String pending = c.putSecretValue(PutSecretValueRequest.of("d/stuck", SecretValue.ofText("next")).withLabels(Label.PENDING));
            create(c, "e/in-progress", "default", s -> {
                s.leaseOwner = "host-1";
                s.leaseUntil = NOW.plus(Duration.ofMinutes(2)).toString();
            });
            c.putSecretValue(PutSecretValueRequest.of("e/in-progress", SecretValue.ofText("next")).withLabels(Label.PENDING));
            create(payments, "f/other-team-failing", "payments", s -> s.lastOutcome = "failed");
            c.createSecret(CreateSecretRequest.of("g/never-rotated", SecretKind.GENERIC, SecretValue.ofText("v")));

            assertThat(c.rotationStatus()).extracting(s -> s.id().value(), RotationStatus::problems).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("b/overdue", java.util.Set.of(Problem.OVERDUE)),
                    org.assertj.core.groups.Tuple.tuple("c/failing", java.util.Set.of(Problem.FAILING)),
                    org.assertj.core.groups.Tuple.tuple("d/stuck", java.util.Set.of(Problem.STUCK)),
                    org.assertj.core.groups.Tuple.tuple("f/other-team-failing", java.util.Set.of(Problem.FAILING)));

            RotationStatus failing = c.rotationStatus().get(1);
            assertThat(failing.failedStep()).isEqualTo("testSecret");
            assertThat(failing.lastAttempt()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
            assertThat(failing.lastError()).contains("authentication failed");
            RotationStatus stuck = c.rotationStatus().get(2);
            assertThat(stuck.pendingVersion()).isEqualTo(pending);
            assertThat(stuck.completedStep()).isEqualTo("createSecret");
            assertThat(c.rotationStatus(Duration.ofHours(4))).extracting(s -> s.id().value()).doesNotContain("b/overdue");
        }
    }

    @Test
    void reflectsWhatTheRotationEngineRecords_failedStepCrashAndOverdue() {
        new SecureRandom().nextBytes(defaultRoot);
        MutableClock clock = new MutableClock(NOW);
        FaultInjectingRotator flaky = new FaultInjectingRotator("flaky", new RandomPasswordRotator());
        SecretsConfig cfg = IsolatedConfig.get();
        try (SecretsClient c = SecretsClient.builder().config(cfg).store(store).masterKey("default", defaultRoot).clock(clock)
                .rotator(flaky).build()) {
            c.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", "old"))));
            c.configureRotation("app/db", RotationSettings.of("flaky", "rate(1 days)"));
            assertThat(c.rotationStatus()).isEmpty();

            flaky.failOnceAfter("setSecret");
            assertThatThrownBy(() -> c.rotateNow("app/db")).isInstanceOf(RotationFailedException.class);
            RotationStatus failed = c.rotationStatus().get(0);
            assertThat(failed.problems()).contains(Problem.FAILING);
            assertThat(failed.failedStep()).isEqualTo("setSecret");
            assertThat(failed.lastAttempt()).isEqualTo(NOW);
            assertThat(failed.toString()).doesNotContain("old");

            flaky.crashOnceAfter("testSecret");
            assertThatThrownBy(() -> c.rotateNow("app/db")).isInstanceOf(FaultInjectingRotator.SimulatedCrash.class);
            assertThat(c.rotationStatus()).extracting(RotationStatus::problems).as("a live lease: in progress")
                    .allSatisfy(p -> assertThat(p).doesNotContain(Problem.STUCK));
            clock.advance(Duration.ofMinutes(11));
            assertThat(c.rotationStatus().get(0).problems()).contains(Problem.STUCK);

            c.rotateNow("app/db"); // resumes and finishes
            assertThat(c.rotationStatus()).isEmpty();
            clock.advance(Duration.ofDays(2));
            assertThat(c.rotationStatus()).singleElement().satisfies(st -> assertThat(st.problems()).containsExactly(Problem.OVERDUE));
        }
    }
}
