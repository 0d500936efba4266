package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.InstrumentedObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

class SecretsHealthIndicatorTest {
    @TempDir
    Path tmp;
    FileStore store;

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** An application whose health indicator checks the rotations too (opt-in), with every result fresh. */
    private ConfigurableApplicationContext start(String imports) {
        return FileStore.run(TestApplication.class, store.args("--spring.config.import=" + imports,
                "--management.health.secrets.rotation.enabled=true", "--management.health.secrets.cache.ttl=0s"));
    }

    /** A client of the store whose clock is {@code shift} away from now, to make rotation dates lie in the past. */
    private SecretsClient clientAt(Duration shift) {
        return SecretsClient.builder().config(IsolatedConfig.get()).store(store.storeUri())
                .masterKey("default", store.keyUri()).clock(Clock.offset(Clock.systemUTC(), shift)).build();
    }

    @Test
    void byDefault_theRotationCheckIsOff_andAResultIsReusedForThirtySeconds() {
        store.text("prod/token", "t");
        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/token"))) {
            SecretsHealthProperties p = ctx.getBean(SecretsHealthProperties.class);
            assertThat(p.getRotation().isEnabled()).isFalse();
            assertThat(p.getCache().getTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(ctx.getBean(SecretsHealthIndicator.class).rotationCheck()).isFalse();
        }
    }

    @Test
    void aResult_isReusedUntilTheCachePeriodEnds_thenTheStoreIsReadAgain() {
        store.text("prod/token", "t");
        store.client.configureRotation("prod/token", RotationSettings.of("random-password", "rate(1 days)"));
        AtomicLong nanos = new AtomicLong();
        try (FileObjectStore files = new FileObjectStore(store.dir)) {
            InstrumentedObjectStore counted = new InstrumentedObjectStore(files);
            try (SecretsClient client = SecretsClient.builder().config(IsolatedConfig.get()).store(counted)
                    .masterKey("default", store.keyUri()).build()) {
                SecretsHealthIndicator indicator = new SecretsHealthIndicator(client, true, Duration.ofSeconds(30), nanos::get);

                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                int oneCheck = counted.gets.get();
                assertThat(oneCheck).as("the store check and the rotation status of prod/token").isGreaterThan(1);
                nanos.addAndGet(Duration.ofSeconds(29).toNanos());
                for (int i = 0; i < 10; i++) {
                    indicator.health();
                }
                assertThat(counted.gets.get()).isEqualTo(oneCheck);

                nanos.addAndGet(Duration.ofSeconds(1).toNanos());
                indicator.health();
                assertThat(counted.gets.get()).as("a second check").isGreaterThan(oneCheck);
            }
        }
    }

    @Test
    void aStoreThatFails_isReportedDown_atTheEndOfTheCachePeriod() {
        AtomicLong nanos = new AtomicLong();
        try (FileObjectStore files = new FileObjectStore(store.dir)) {
            InstrumentedObjectStore counted = new InstrumentedObjectStore(files);
            try (SecretsClient client = SecretsClient.builder().config(IsolatedConfig.get()).store(counted)
                    .masterKey("default", store.keyUri()).build()) {
                SecretsHealthIndicator indicator = new SecretsHealthIndicator(client, false, Duration.ofSeconds(30), nanos::get);
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

                counted.setUnreachable(true);
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                nanos.addAndGet(Duration.ofSeconds(30).toNanos());
                Health down = indicator.health();

                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails()).containsKey("error");
            }
        }
    }

    @Test
    void aNegativeCachePeriod_isRefused() {
        assertThatThrownBy(() -> new SecretsHealthIndicator(store.client, false, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("management.health.secrets.cache.ttl");
    }

    @Test
    void reachableStore_isUp_andNamesTheStore() {
        store.text("prod/token", "t");
        try (ConfigurableApplicationContext ctx = start("secrets:prod/token")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", store.storeUri()).doesNotContainKey("rotationsOverdue");
        }
    }

    @Test
    void unreachableStore_isDown() throws IOException {
        store.text("prod/token", "t");
        try (ConfigurableApplicationContext ctx = start("secrets:prod/token")) {
            SecretsHealthIndicator indicator = ctx.getBean(SecretsHealthIndicator.class);
            // The store's folder is replaced by a plain file: every read of the store fails with an I/O error.
            Files.move(store.dir, tmp.resolve("moved-away"));
            Files.writeString(store.dir, "not a directory");

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        }
    }

    @Test
    void overdueRotation_isReportedInTheDetails_whileStayingUp() {
        // Written two hours ago, with an hourly schedule: due an hour ago.
        try (SecretsClient past = clientAt(Duration.ofHours(-2))) {
            past.createSecret(CreateSecretRequest.of("prod/db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", "p"))));
            past.configureRotation("prod/db", RotationSettings.of("random-password", "rate(1 hours)"));
        }
        store.text("prod/token", "t");
        store.client.configureRotation("prod/token", RotationSettings.of("random-password", "rate(1 days)"));

        try (ConfigurableApplicationContext ctx = start("secrets:prod/db;prod/token")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("rotationsOverdue", List.of("prod/db"))
                    .doesNotContainKey("rotationsFailed");
        }
    }

    @Test
    void failedRotation_isReportedWithItsStep() {
        // The rotator cannot reach this database: setSecret fails, and the status records it.
        store.database("prod/db", Map.of("username", "app", "password", "p", "host", "127.0.0.1", "port", 1));
        store.client.configureRotation("prod/db", RotationSettings.of("postgresql", null).withParameter("connectTimeout", "2"));
        assertThatThrownBy(() -> store.client.rotateNow("prod/db")).isInstanceOf(RotationFailedException.class);

        try (ConfigurableApplicationContext ctx = start("secrets:prod/db")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("rotationsFailed").doesNotContainKey("rotationsOverdue");
            assertThat(((Map<?, ?>) health.getDetails().get("rotationsFailed")).keySet()).map(Object::toString).containsExactly("prod/db");
            assertThat(health.getDetails().get("rotationsFailed").toString()).contains("failed at");
        }
    }

    @Test
    void secretOlderThanItsMaxAge_isReported_withoutRotationConfigured() {
        try (SecretsClient past = clientAt(Duration.ofDays(-100))) {
            past.createSecret(CreateSecretRequest.of("prod/old", SecretKind.GENERIC, SecretValue.ofText("t"))
                    .withTag("secrets.max-age", "90d"));
            past.createSecret(CreateSecretRequest.of("prod/old-but-allowed", SecretKind.GENERIC, SecretValue.ofText("t"))
                    .withTag("secrets.max-age", "200d"));
        }
        store.client.createSecret(CreateSecretRequest.of("prod/new", SecretKind.GENERIC, SecretValue.ofText("t"))
                .withTag("secrets.max-age", "90d"));

        try (ConfigurableApplicationContext ctx = start("secrets:prod/old")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("olderThanMaxAge", List.of("prod/old"));
        }
    }
}
