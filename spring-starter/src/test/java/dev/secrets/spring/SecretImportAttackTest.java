package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Attacker: someone who can write the value of a secret the application imports without a prefix
 * (another team holding the master key, a compromised rotation job), but not the application's own
 * configuration (issue #14, item 9). Imported secrets win over {@code application.properties}, so a
 * field named {@code spring.datasource.url} would redirect the application's database connections,
 * {@code management.endpoints.web.exposure.include=*} would expose every Actuator endpoint and
 * {@code logging.level.root=TRACE} would log what the application handles. A real Boot application
 * over a real file store.
 */
class SecretImportAttackTest {
    private static final String CANARY = FileStore.CANARY;
    private static final String APPLICATION_DB = "jdbc:postgresql://db.internal:5432/app";

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

    private ConfigurableApplicationContext start(String... args) {
        return FileStore.run(ReloadApplication.class, store.args(args));
    }

    private static SecretImportException importFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SecretImportException e) {
                return e;
            }
        }
        throw new AssertionError("no SecretImportException in " + t);
    }

    @Test
    void aSecretSettingSpringManagementAndLoggingNames_stopsStartUp_namingTheKeysNotTheValues() {
        store.fields("prod/app-config", Map.of(
                "spring.datasource.url", "jdbc:postgresql://attacker.example/db?" + CANARY,
                "management.endpoints.web.exposure.include", "*",
                "logging.level.root", "TRACE",
                "greeting", "hello"));

        Throwable failure = catchThrowable(() -> start("--spring.datasource.url=" + APPLICATION_DB,
                "--spring.config.import=secrets:prod/app-config").close());

        SecretImportException e = importFailure(failure);
        assertThat(e.reason()).isEqualTo(SecretImportException.Reason.RESERVED_NAMES);
        assertThat(e.getMessage()).contains("prod/app-config").contains("spring.datasource.url")
                .contains("management.endpoints.web.exposure.include").contains("logging.level.root")
                .doesNotContain("greeting").doesNotContain(CANARY).doesNotContain("attacker").doesNotContain("TRACE");
        FailureAnalysis analysis = new SecretImportFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("spring.datasource.url").doesNotContain(CANARY).doesNotContain("attacker");
        assertThat(analysis.getAction()).contains("?prefix=").contains("secrets.import.allow-reserved-names=true");
    }

    @Test
    void anOptionalImport_isRefusedToo() {
        store.fields("prod/app-config", Map.of("logging.level.root", "TRACE"));

        Throwable failure = catchThrowable(() -> start("--spring.config.import=optional:secrets:prod/app-config").close());

        assertThat(importFailure(failure).reason()).isEqualTo(SecretImportException.Reason.RESERVED_NAMES);
    }

    @Test
    void namesThatRelaxedBindingReadAsReserved_areRefusedToo() {
        // Spring Boot's binder ignores case, dashes and the bracket form: these would set the same settings.
        for (String name : new String[] {"SPRING.datasource.url", "[logging].level.root", "Manage-ment.endpoints.web.exposure.include",
                "secrets.store", "debug"}) {
            String id = "prod/relaxed-" + Math.abs(name.hashCode());
            store.fields(id, Map.of(name, "x"));

            Throwable failure = catchThrowable(() -> start("--spring.config.import=secrets:" + id).close());

            assertThat(importFailure(failure).reason()).as(name).isEqualTo(SecretImportException.Reason.RESERVED_NAMES);
        }
    }

    @Test
    void anImportByIdPrefix_cannotSetReservedNamesThroughItsIds() {
        store.fields("prod/app/db", Map.of("username", "app"));
        store.fields("prod/app/logging/level", Map.of("root", "TRACE"));

        Throwable failure = catchThrowable(() -> start("--spring.config.import=secrets:prod/app/*").close());

        SecretImportException e = importFailure(failure);
        assertThat(e.reason()).isEqualTo(SecretImportException.Reason.RESERVED_NAMES);
        assertThat(e.getMessage()).contains("prod/app/logging/level").contains("logging.level.root");
    }

    @Test
    void theSameSecretUnderAPrefix_setsOnlyNamesUnderThatPrefix() {
        store.fields("prod/app-config", Map.of("spring.datasource.url", "jdbc:postgresql://attacker.example/db",
                "logging.level.root", "TRACE"));

        try (ConfigurableApplicationContext ctx = start("--spring.datasource.url=" + APPLICATION_DB,
                "--spring.config.import=secrets:prod/app-config?prefix=app.")) {
            Environment env = ctx.getEnvironment();
            assertThat(env.getProperty("spring.datasource.url")).isEqualTo(APPLICATION_DB);
            assertThat(env.getProperty("app.spring.datasource.url")).isEqualTo("jdbc:postgresql://attacker.example/db");
            assertThat(Binder.get(env).bind("logging.level.root", String.class).isBound()).isFalse();
        }
    }

    @Test
    void aPrefixTheApplicationChoseUnderSpring_isTheApplicationsOwnDecision() {
        store.database("prod/app-db", Map.of("username", "app", "password", "pw"));

        try (ConfigurableApplicationContext ctx = start("--spring.config.import=secrets:prod/app-db?prefix=spring.datasource.")) {
            assertThat(ctx.getEnvironment().getProperty("spring.datasource.username")).isEqualTo("app");
            assertThat(ctx.getEnvironment().getProperty("spring.datasource.password")).isEqualTo("pw");
        }
    }

    @Test
    void theApplicationsOwnOptIn_allowsReservedNames() {
        store.fields("prod/app-config", Map.of("spring.application.name", "from-a-secret"));

        try (ConfigurableApplicationContext ctx = start("--secrets.import.allow-reserved-names=true",
                "--spring.config.import=secrets:prod/app-config")) {
            assertThat(ctx.getEnvironment().getProperty("spring.application.name")).isEqualTo("from-a-secret");
        }
    }

    @Test
    void aSecretThatGainsReservedNamesLater_isNotReloaded_andKeepsItsPreviousValues() {
        store.fields("prod/app-config", Map.of("greeting", "hello"));
        try (ConfigurableApplicationContext ctx = start("--spring.datasource.url=" + APPLICATION_DB,
                "--spring.config.import=secrets:prod/app-config", "--secrets.reload.strategy=event",
                "--secrets.reload.period=1h")) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            store.client.putSecretValue("prod/app-config", dev.secrets.SecretValue.ofFields(Map.of("greeting", "hi",
                    "spring.datasource.url", "jdbc:postgresql://attacker.example/db")));

            assertThat(watcher.poll()).isZero();

            assertThat(ctx.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(APPLICATION_DB);
            assertThat(ctx.getEnvironment().getProperty("greeting")).isEqualTo("hello");
        }
    }
}
