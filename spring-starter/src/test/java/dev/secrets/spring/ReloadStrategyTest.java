package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.SecretValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * {@code secrets.reload.strategy} in a real Boot application on a file store, WITHOUT Spring Cloud
 * Context on the class path (surefire's default execution leaves it out): a secret changed through
 * another client reaches the {@code @ConfigurationProperties} bean with {@code refresh} (the starter's
 * own re-binding), only the environment and the event with {@code event}, nothing with {@code none}.
 */
class ReloadStrategyTest {
    @TempDir
    Path tmp;
    FileStore store;
    final List<SecretChangedEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
        store.database("prod/db", Map.of("username", "app", "password", "first"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(store.args(more)));
        a.add("--spring.config.import=secrets:prod/db?prefix=app.db.");
        if (a.stream().noneMatch(s -> s.startsWith("--secrets.reload.period="))) {
            a.add("--secrets.reload.period=1h"); // polled by hand below
        }
        String[] all = a.toArray(new String[0]);
        return FileStore.builder(ReloadApplication.class).listeners((ApplicationListener<SecretChangedEvent>) events::add).run(all);
    }

    private void rotate() {
        store.client.putSecretValue("prod/db", SecretValue.ofFields(Map.of("username", "app", "password", CANARY)));
    }

    @Test
    void springCloudContext_isNotOnThisClassPath() {
        assertThat(ClassUtils.isPresent(SecretsReloader.CONTEXT_REFRESHER, getClass().getClassLoader())).isFalse();
    }

    @Test
    void refresh_rebindsTheConfigurationPropertiesBean_withoutSpringCloud() {
        try (ConfigurableApplicationContext ctx = start("--secrets.reload.strategy=refresh")) {
            DbSettings settings = ctx.getBean(DbSettings.class);
            assertThat(settings.getPassword()).isEqualTo("first");
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            assertThat(watcher.reloader().usesSpringCloud()).isFalse();
            assertThat(watcher.poll()).isZero();

            rotate();

            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(ctx.getBean(DbSettings.class)).isSameAs(settings);
            assertThat(settings.getPassword()).isEqualTo(CANARY);
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
            assertThat(events).singleElement().satisfies(e -> assertThat(e.secretId()).isEqualTo("prod/db"));
        }
    }

    @Test
    void refresh_happensWithinOneReloadPeriod_byTheWatchersOwnSchedule() throws InterruptedException {
        try (ConfigurableApplicationContext ctx = start("--secrets.reload.strategy=refresh", "--secrets.reload.period=200ms")) {
            DbSettings settings = ctx.getBean(DbSettings.class);
            rotate();
            long deadline = System.nanoTime() + 10_000_000_000L; // generous for a loaded machine; the period is 200 ms
            while (!CANARY.equals(settings.getPassword()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(settings.getPassword()).isEqualTo(CANARY);
        }
    }

    @Test
    void event_updatesTheEnvironmentAndPublishes_butLeavesTheBeanAlone() {
        try (ConfigurableApplicationContext ctx = start("--secrets.reload.strategy=event")) {
            rotate();
            assertThat(ctx.getBean(SecretsWatcher.class).poll()).isEqualTo(1);
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
            assertThat(ctx.getBean(DbSettings.class).getPassword()).isEqualTo("first");
            assertThat(events).hasSize(1);
        }
    }

    @Test
    void none_isTheDefault_andChangesNothing() {
        try (ConfigurableApplicationContext ctx = start()) {
            assertThat(ctx.getBeansOfType(SecretsWatcher.class)).isEmpty();
            rotate();
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo("first");
            assertThat(ctx.getBean(DbSettings.class).getPassword()).isEqualTo("first");
            assertThat(events).isEmpty();
        }
        try (ConfigurableApplicationContext ctx = start("--secrets.reload.strategy=none")) {
            assertThat(ctx.getBeansOfType(SecretsWatcher.class)).isEmpty();
        }
    }

    @Test
    void restart_withoutSpringCloudContext_failsStartUpSayingWhatItNeeds() {
        assertThatThrownBy(() -> start("--secrets.reload.strategy=restart").close())
                .rootCause().hasMessageContaining("secrets.reload.strategy=restart needs Spring Cloud Context");
    }
}
