package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.InstrumentedObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RotationSchedulerTest {
    private final InstrumentedObjectStore store = new InstrumentedObjectStore(new InMemoryObjectStore());
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SecretsClient client = SecretsClient.builder()
            .config(IsolatedConfig.get())
            .store(store).masterKey("default", new byte[32]).clock(clock).build();

    @AfterEach
    void close() {
        client.close();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met before the deadline").isBefore(deadline);
            Thread.sleep(5); // polling with a deadline
        }
    }

    @Test
    void rotatesASecretWhenTheClientsClockSaysItIsDue() throws Exception {
        client.createSecret(CreateSecretRequest.of("app/token", SecretKind.GENERIC, SecretValue.ofText("first-value")));
        client.configureRotation("app/token", RotationSettings.of("random-password", "rate(1 day)"));
        List<RotationOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger runs = new AtomicInteger();
        try (RotationScheduler scheduler = RotationScheduler.start(client, Duration.ofMillis(5), null, o -> {
            outcomes.addAll(o);
            runs.incrementAndGet();
        }, e -> { })) {
            awaitTrue(() -> runs.get() >= 3);
            assertThat(outcomes).isEmpty(); // not due yet

            clock.advance(Duration.ofDays(1));
            awaitTrue(() -> !outcomes.isEmpty());
        }
        assertThat(outcomes).hasSize(1).allMatch(RotationOutcome::succeeded);
        assertThat(client.refresh("app/token").text()).isNotEqualTo("first-value");
    }

    @Test
    void keepsRunningWhenARunFails_andReportsTheError() throws Exception {
        client.createSecret(CreateSecretRequest.of("app/token", SecretKind.GENERIC, SecretValue.ofText("first-value")));
        client.configureRotation("app/token", RotationSettings.of("random-password", "rate(1 day)"));
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        List<RotationOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        store.setUnreachable(true);
        try (RotationScheduler scheduler = RotationScheduler.start(client, Duration.ofMillis(5), null, outcomes::addAll, errors::add)) {
            awaitTrue(() -> errors.size() >= 2);
            assertThat(errors.get(0)).isInstanceOf(StoreUnavailableException.class);

            clock.advance(Duration.ofDays(1));
            store.setUnreachable(false);
            awaitTrue(() -> !outcomes.isEmpty());
        }
        assertThat(outcomes).hasSize(1).allMatch(RotationOutcome::succeeded);
    }

    @Test
    void aNonPositiveInterval_isRefused() {
        assertThatThrownBy(() -> RotationScheduler.start(client, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
