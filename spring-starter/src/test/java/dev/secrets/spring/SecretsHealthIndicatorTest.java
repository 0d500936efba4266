package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretId;
import dev.secrets.internal.SecretsEngine;
import dev.secrets.internal.record.RotationState;
import dev.secrets.internal.store.StoreIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    private ConfigurableApplicationContext start(String imports) {
        return FileStore.run(TestApplication.class, store.args("--spring.config.import=" + imports));
    }

    /** Sets rotation settings the way the rotation engine stores them, through the record's compare-and-set. */
    private void rotation(String id, RotationState state) {
        SecretsEngine engine = store.client.engine();
        String storeId = new StoreIdentity(engine.store(), engine.clock()).existing().orElseThrow();
        engine.mutate(SecretId.of(id), storeId, r -> {
            r.rotation = state;
            return r;
        });
    }

    @Test
    void reachableStore_isUp_andNamesTheStore() {
        store.text("prod/token", "t");
        try (ConfigurableApplicationContext ctx = start("secrets:prod/token")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", store.storeUri()).containsEntry("secrets", 1)
                    .doesNotContainKey("rotationsOverdue");
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
        store.database("prod/db", Map.of("username", "app", "password", "p"));
        store.text("prod/token", "t");
        RotationState overdue = new RotationState();
        overdue.rotator = "random-password";
        overdue.schedule = "rate(30 days)";
        overdue.nextRotation = Instant.now().minus(Duration.ofDays(2)).toString();
        rotation("prod/db", overdue);
        RotationState notDue = new RotationState();
        notDue.rotator = "random-password";
        notDue.schedule = "rate(30 days)";
        notDue.nextRotation = Instant.now().plus(Duration.ofDays(2)).toString();
        rotation("prod/token", notDue);

        try (ConfigurableApplicationContext ctx = start("secrets:prod/db;prod/token")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("rotationsOverdue", List.of("prod/db"));
        }
    }

    @Test
    void failedRotation_isReportedWithItsStep() {
        store.database("prod/db", Map.of("username", "app", "password", "p"));
        RotationState failed = new RotationState();
        failed.rotator = "postgresql";
        failed.lastOutcome = "failed";
        failed.failedStep = "testSecret";
        failed.enabled = false;
        rotation("prod/db", failed);

        try (ConfigurableApplicationContext ctx = start("secrets:prod/db")) {
            Health health = ctx.getBean(SecretsHealthIndicator.class).health();

            assertThat(health.getDetails()).containsEntry("rotationsFailed", Map.of("prod/db", "failed at testSecret"))
                    .doesNotContainKey("rotationsOverdue");
        }
    }
}
