package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.RotationOutcome;
import dev.secrets.RotationScheduler;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.rotation.RandomPasswordRotator;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Two schedulers on two clients — each with its own S3 client, as on two machines — share one
 * bucket on a real s3proxy: every due rotation happens exactly once.
 */
class S3RotationTest {
    private static final byte[] KEY = key();

    private static byte[] key() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 11);
        return k;
    }

    private static SecretsClient client(String uri, MutableClock clock, FaultInjectingRotator rotator) {
        SecretsConfig config = IsolatedConfig.get();
        return SecretsClient.builder().config(config).store(uri).masterKey("default", KEY).clock(clock).rotator(rotator).build();
    }

    @Test
    void twoSchedulersOnTwoClients_rotateEachDueSecretExactlyOnce() {
        String uri = S3ProxyServer.shared().newStoreUri();
        MutableClock clockA = MutableClock.atFixedStart();
        MutableClock clockB = MutableClock.atFixedStart();
        FaultInjectingRotator rotatorA = new FaultInjectingRotator("counted", new RandomPasswordRotator());
        FaultInjectingRotator rotatorB = new FaultInjectingRotator("counted", new RandomPasswordRotator());
        int secrets = 3;
        try (SecretsClient a = client(uri, clockA, rotatorA); SecretsClient b = client(uri, clockB, rotatorB)) {
            for (int i = 0; i < secrets; i++) {
                a.createSecret(CreateSecretRequest.of("app/key" + i, SecretKind.GENERIC, SecretValue.ofText("first-value-" + i)));
                a.configureRotation("app/key" + i, RotationSettings.of("counted", "rate(1 day)"));
            }
            clockA.advance(Duration.ofDays(1));
            clockB.advance(Duration.ofDays(1));

            List<RotationOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger runsA = new AtomicInteger();
            AtomicInteger runsB = new AtomicInteger();
            List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
            try (RotationScheduler sa = RotationScheduler.start(a, Duration.ofMillis(50), null, o -> {
                outcomes.addAll(o);
                runsA.incrementAndGet();
            }, errors::add);
                 RotationScheduler sb = RotationScheduler.start(b, Duration.ofMillis(50), null, o -> {
                     outcomes.addAll(o);
                     runsB.incrementAndGet();
                 }, errors::add)) {
                // Poll (with a deadline) until both schedulers ran a few more times after every secret was rotated.
                Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
                int[] mark = null;
                while (Instant.now().isBefore(deadline)) {
                    if (mark == null && outcomes.size() >= secrets) {
                        mark = new int[] {runsA.get(), runsB.get()};
                    }
                    if (mark != null && runsA.get() >= mark[0] + 2 && runsB.get() >= mark[1] + 2) {
                        break;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                assertThat(mark).as("every secret rotated before the deadline").isNotNull();
            }

            assertThat(errors).isEmpty();
            assertThat(outcomes).hasSize(secrets).allMatch(RotationOutcome::succeeded);
            assertThat(outcomes).extracting(o -> o.secretId().value()).doesNotHaveDuplicates();
            assertThat(rotatorA.calls("createSecret") + rotatorB.calls("createSecret")).isEqualTo(secrets);
            for (int i = 0; i < secrets; i++) {
                SecretDescription d = a.describeSecret("app/key" + i);
                assertThat(d.versions()).as("app/key" + i).hasSize(2);
                assertThat(d.rotation().lastOutcome()).isEqualTo("succeeded");
            }
        }
    }
}
