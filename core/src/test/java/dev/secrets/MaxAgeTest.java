package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Age alerts: {@code secrets.max-age} (store-wide) and the tag {@code secrets.max-age} (per secret), on the injected clock. */
class MaxAgeTest {
    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final AtomicInteger gauge = new AtomicInteger(-1);
    private final SecretsClient client = client("90d");

    private SecretsClient client(String maxAge) {
        SecretsConfig.Builder config = IsolatedConfig.builder();
        if (maxAge != null) {
            config.set("secrets.max-age", maxAge);
        }
        return SecretsClient.builder().config(config.build()).store(store).masterKey("default", new byte[32]).clock(clock)
                .metrics(new SecretsMetrics() {
                    @Override
                    public void secretsTooOld(int count) {
                        gauge.set(count);
                    }
                }).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private List<String> tooOld() {
        return client.rotationStatus().stream().filter(s -> s.problems().contains(RotationStatus.Problem.TOO_OLD))
                .map(s -> s.id().value()).toList();
    }

    @Test
    void aSecretNeverRotated_isReportedOnceOlderThanTheStoreWideMaxAge_andANewValueClearsIt() {
        client.createSecret(CreateSecretRequest.of("app/token", SecretKind.GENERIC, SecretValue.ofText("t1")));

        clock.advance(Duration.ofDays(90));
        assertThat(tooOld()).isEmpty();
        assertThat(gauge.get()).isZero();

        clock.advance(Duration.ofMinutes(1));
        assertThat(tooOld()).containsExactly("app/token");
        assertThat(gauge.get()).isEqualTo(1);

        client.putSecretValue(PutSecretValueRequest.of("app/token", SecretValue.ofText("t2")));
        assertThat(tooOld()).isEmpty();
        assertThat(gauge.get()).isZero();
    }

    @Test
    void theSecretsOwnTag_overridesTheStoreWideMaxAge_andABadTagIsRefused() {
        client.createSecret(CreateSecretRequest.of("app/long", SecretKind.GENERIC, SecretValue.ofText("t"))
                .withTag("secrets.max-age", "200d"));
        client.createSecret(CreateSecretRequest.of("app/short", SecretKind.GENERIC, SecretValue.ofText("t"))
                .withTag("secrets.max-age", "P7D"));
        client.createSecret(CreateSecretRequest.of("app/rotated", SecretKind.GENERIC, SecretValue.ofText("t")));
        client.configureRotation("app/rotated", RotationSettings.of("random-password", null));

        clock.advance(Duration.ofDays(8));
        assertThat(tooOld()).containsExactly("app/short");
        clock.advance(Duration.ofDays(90));
        assertThat(tooOld()).containsExactlyInAnyOrder("app/short", "app/rotated");

        assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("app/bad", SecretKind.GENERIC, SecretValue.ofText("t"))
                .withTag("secrets.max-age", "soon"))).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("tag secrets.max-age is 'soon'");
        assertThat(client.listSecrets(ListSecretsRequest.all()).items()).extracting(d -> d.id().value())
                .doesNotContain("app/bad");
    }

    @Test
    void withoutAnyMaxAge_nothingIsReported() {
        try (SecretsClient none = client(null)) {
            none.createSecret(CreateSecretRequest.of("app/any", SecretKind.GENERIC, SecretValue.ofText("t")));
            clock.advance(Duration.ofDays(5000));
            assertThat(none.rotationStatus()).isEmpty();
        }
    }
}
