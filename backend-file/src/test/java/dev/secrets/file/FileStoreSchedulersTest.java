package dev.secrets.file;

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
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two rotation schedulers, like two machines, sharing one file store. Needs no database, so it always runs. */
class FileStoreSchedulersTest {
    private static final byte[] KEY = new byte[32];
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final List<SecretsClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    private SecretsClient client(Clock clock, FaultInjectingRotator rotator) {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store("file:" + dir.resolve("store")).masterKey("default", KEY)
                .clock(clock).rotator(rotator).build();
        clients.add(c);
        return c;
    }

    @Test
    void twoSchedulersOnOneStore_likeTwoMachines_rotateEachDueSecretExactlyOnce() throws Exception {
        MutableClock clockA = MutableClock.atFixedStart();
        MutableClock clockB = MutableClock.atFixedStart();
        FaultInjectingRotator rotatorA = new FaultInjectingRotator("counted", new RandomPasswordRotator());
        FaultInjectingRotator rotatorB = new FaultInjectingRotator("counted", new RandomPasswordRotator());
        SecretsClient a = client(clockA, rotatorA);
        SecretsClient b = client(clockB, rotatorB);
        int secrets = 5;
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
        try (RotationScheduler sa = RotationScheduler.start(a, Duration.ofMillis(5), null, o -> {
            outcomes.addAll(o);
            runsA.incrementAndGet();
        }, errors::add);
             RotationScheduler sb = RotationScheduler.start(b, Duration.ofMillis(5), null, o -> {
                 outcomes.addAll(o);
                 runsB.incrementAndGet();
             }, errors::add)) {
            // Wait until both schedulers have run several times after every secret was rotated.
            Instant deadline = Instant.now().plus(DEADLINE);
            int[] mark = null;
            while (Instant.now().isBefore(deadline)) {
                if (mark == null && outcomes.size() >= secrets) {
                    mark = new int[] {runsA.get(), runsB.get()};
                }
                if (mark != null && runsA.get() >= mark[0] + 3 && runsB.get() >= mark[1] + 3) {
                    break;
                }
                Thread.sleep(5); // polling with a deadline
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
