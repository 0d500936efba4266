package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code spring.config.import=secrets:PREFIX/*} in a real Boot application on a file store: 50 secrets
 * become properties by the documented rule, a secret added under the prefix appears at the next
 * reload, and two IDs that would give the same property name stop start-up with a failure analysis.
 */
class PrefixImportTest {
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

    @Test
    void fiftySecretsUnderAPrefix_becomeProperties_andANewOneAppearsAtTheNextReload() {
        for (int i = 0; i < 25; i++) {
            store.fields("prod/app/service" + i + "/db", Map.of("username", "user" + i, "password", "pw" + i));
            store.text("prod/app/service" + i + "/api-key", "key" + i);
        }
        store.text("prod/other/not-imported", "x");
        try (ConfigurableApplicationContext ctx = FileStore.run(ReloadApplication.class, store.args(
                "--spring.config.import=secrets:prod/app/*?prefix=cfg.", "--secrets.reload.strategy=event",
                "--secrets.reload.period=1h"))) {
            var env = ctx.getEnvironment();
            for (int i = 0; i < 25; i++) {
                assertThat(env.getProperty("cfg.service" + i + ".db.username")).isEqualTo("user" + i);
                assertThat(env.getProperty("cfg.service" + i + ".db.password")).isEqualTo("pw" + i);
                assertThat(env.getProperty("cfg.service" + i + ".api-key")).isEqualTo("key" + i);
            }
            assertThat(env.getProperty("cfg.not-imported")).isNull();
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            SecretsPrefixPropertySource source = watcher.watchedPrefixes().get(0);
            assertThat(source.versions()).hasSize(50);
            assertThat(source.toString()).doesNotContain("pw1");
            assertThat(watcher.poll()).isZero();

            store.fields("prod/app/new/queue", Map.of("url", "amqp://q"));
            assertThat(env.getProperty("cfg.new.queue.url")).isNull();
            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(env.getProperty("cfg.new.queue.url")).isEqualTo("amqp://q");

            store.client.forceDeleteSecret("prod/app/service0/api-key");
            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(env.getProperty("cfg.service0.api-key")).isNull();
            assertThat(env.getProperty("cfg.service1.api-key")).isEqualTo("key1");
        }
    }

    @Test
    void twoIdsGivingTheSamePropertyName_stopStartUp_withAFailureAnalysisNamingBoth() {
        store.text("prod/app/db.url", "jdbc:one");
        store.text("prod/app/db/url", "jdbc:two");
        Throwable failure = catchThrowable(() -> FileStore.run(ReloadApplication.class,
                store.args("--spring.config.import=secrets:prod/app/*")).close());
        SecretImportException e = findCause(failure);
        assertThat(e.reason()).isEqualTo(SecretImportException.Reason.COLLISION);
        FailureAnalysis analysis = new SecretImportFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("prod/app/db.url").contains("prod/app/db/url").contains("'db.url'")
                .doesNotContain("jdbc:one").doesNotContain("jdbc:two");
        assertThat(analysis.getAction()).contains("Rename one of the two secrets");
    }

    @Test
    void aTextSecretNamedLikeAFieldOfAnother_isACollisionToo() {
        store.fields("prod/app/db", Map.of("url", "jdbc:one"));
        store.text("prod/app/db/url", "jdbc:two");
        Throwable failure = catchThrowable(() -> FileStore.run(ReloadApplication.class,
                store.args("--spring.config.import=secrets:prod/app/*")).close());
        assertThat(findCause(failure).getCause()).hasMessageContaining("'db.url'");
    }

    @Test
    void aPrefixImport_ofAnEmptyPrefix_startsWithNoProperties() {
        try (ConfigurableApplicationContext ctx = FileStore.run(ReloadApplication.class,
                store.args("--spring.config.import=secrets:nothing/here/*"))) {
            assertThat(ctx.getEnvironment().getPropertySources().stream().filter(p -> p instanceof SecretsPrefixPropertySource))
                    .hasSize(1);
        }
    }

    private static SecretImportException findCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SecretImportException e) {
                return e;
            }
        }
        throw new AssertionError("no SecretImportException in " + t);
    }
}
