package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.Label;
import dev.secrets.SecretValue;
import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.InstrumentedObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.bootstrap.BootstrapRegistry;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

class SecretsWatcherTest {
    @TempDir
    Path tmp;
    FileStore store;
    final List<SecretChangedEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private ConfigurableApplicationContext start(String interval, String imports) {
        return FileStore.builder(TestApplication.class)
                .listeners((ApplicationListener<SecretChangedEvent>) events::add)
                .run(store.args("--spring.config.import=" + imports, "--secrets.watch.enabled=true",
                        "--secrets.watch.interval=" + interval));
    }

    @Test
    void watcher_isOffByDefault() {
        store.text("prod/token", "t");
        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/token"))) {
            assertThat(ctx.getBeansOfType(SecretsWatcher.class)).isEmpty();
        }
    }

    @Test
    void currentChange_updatesTheEnvironmentAndPublishesOneEvent() {
        String v1 = store.database("prod/db", Map.of("username", "app", "password", "first"));
        store.text("prod/token", "unchanged");

        try (ConfigurableApplicationContext ctx = start("1h", "secrets:prod/db?prefix=db.;prod/token")) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            assertThat(watcher.poll()).isZero();
            assertThat(events).isEmpty();

            String v2 = store.client.putSecretValue("prod/db", SecretValue.ofFields(Map.of("username", "app", "password", CANARY)));

            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(ctx.getEnvironment().getProperty("db.password")).isEqualTo(CANARY);
            assertThat(events).hasSize(1);
            SecretChangedEvent e = events.get(0);
            assertThat(e.secretId()).isEqualTo("prod/db");
            assertThat(e.previousVersionId()).isEqualTo(v1);
            assertThat(e.currentVersionId()).isEqualTo(v2);
            assertThat(e.toString()).doesNotContain(CANARY).doesNotContain("first");

            assertThat(watcher.poll()).isZero();
            assertThat(events).hasSize(1);
        }
    }

    @Test
    void labelMovedBack_isAChangeToo() {
        String v1 = store.text("prod/token", "one");
        try (ConfigurableApplicationContext ctx = start("1h", "secrets:prod/token")) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            String v2 = store.client.putSecretValue("prod/token", SecretValue.ofText("two"));
            watcher.poll();
            store.client.moveLabel("prod/token", Label.CURRENT, v1);
            watcher.poll();

            assertThat(events).extracting(SecretChangedEvent::currentVersionId).containsExactly(v2, v1);
            assertThat(ctx.getEnvironment().getProperty("token")).isEqualTo("one");
        }
    }

    @Test
    void rotation_isOneChange() {
        String v1 = store.database("prod/db", Map.of("username", "app", "password", "first"));
        store.client.configureRotation("prod/db", dev.secrets.RotationSettings.of("random-password", null));
        try (ConfigurableApplicationContext ctx = start("1h", "secrets:prod/db")) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);

            String v2 = store.client.rotateNow("prod/db");
            watcher.poll();
            watcher.poll();

            assertThat(events).hasSize(1);
            assertThat(events.get(0).previousVersionId()).isEqualTo(v1);
            assertThat(events.get(0).currentVersionId()).isEqualTo(v2);
            String rotated = ctx.getEnvironment().getProperty("password");
            assertThat(rotated).isNotEqualTo("first").hasSize(32);
            assertThat(events.get(0).toString()).doesNotContain(rotated);
        }
    }

    @Test
    void scheduledPolling_publishesOnceForEachChange() {
        store.text("prod/token", "one");
        try (ConfigurableApplicationContext ctx = start("50ms", "secrets:prod/token")) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);

            store.client.putSecretValue("prod/token", SecretValue.ofText("two"));
            await(() -> events.size() == 1);
            assertThat(ctx.getEnvironment().getProperty("token")).isEqualTo("two");
            // A poll of ours is serialized with the scheduled ones: once it returns, every poll so far has seen "two".
            watcher.poll();
            assertThat(events).hasSize(1);

            store.client.putSecretValue("prod/token", SecretValue.ofText("three"));
            await(() -> events.size() == 2);
            watcher.poll();
            assertThat(events).hasSize(2);
            assertThat(ctx.getEnvironment().getProperty("token")).isEqualTo("three");
        }
        assertThat(events).hasSize(2);
    }

    @Test
    void stoppedContext_makesNoReadAfterItsStop_andPublishesNothingMore() {
        store.text("prod/token", "one");
        // The application's client reads through this store, which counts every call.
        InstrumentedObjectStore counted = new InstrumentedObjectStore(new FileObjectStore(store.dir));
        SecretsWatcher watcher;
        int readsAtStop;
        try (ConfigurableApplicationContext ctx = FileStore.builder(TestApplication.class)
                .listeners((ApplicationListener<SecretChangedEvent>) events::add)
                .addBootstrapRegistryInitializer(registry -> registry.register(SecretsClientCustomizer.class,
                        BootstrapRegistry.InstanceSupplier.of(b -> b.store(counted))))
                .run(store.args("--spring.config.import=secrets:prod/token", "--secrets.watch.enabled=true",
                        "--secrets.watch.interval=20ms"))) {
            watcher = ctx.getBean(SecretsWatcher.class);
            int started = reads(counted);
            await(() -> reads(counted) >= started + 10); // the schedule polls, through the counted store
            ctx.close();
            readsAtStop = reads(counted);
        }
        store.client.putSecretValue("prod/token", SecretValue.ofText("two"));
        // Once the watcher's thread is gone, nothing can poll again: every read it ever made has been counted.
        await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("secrets-watcher") && t.isAlive()));
        assertThat(reads(counted)).as("store reads after the context stopped").isEqualTo(readsAtStop);
        assertThat(events).isEmpty();
        assertThat(watcher.isRunning()).isFalse();
    }

    private static int reads(InstrumentedObjectStore store) {
        return store.gets.get() + store.lists.get();
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
