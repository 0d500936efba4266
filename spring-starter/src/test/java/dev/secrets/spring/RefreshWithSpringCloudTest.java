package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@code secrets.reload.strategy=refresh} WITH Spring Cloud Context on the class path (surefire's
 * {@code with-spring-cloud} execution): the refresh goes through its {@code ContextRefresher}; a
 * {@code @ConfigurationProperties} bean is re-bound and a {@code @RefreshScope} bean renewed.
 */
class RefreshWithSpringCloudTest {
    @TempDir
    Path tmp;
    FileStore store;
    final List<SecretChangedEvent> events = new CopyOnWriteArrayList<>();

    /** A bean built from the password once, renewed only by the refresh scope. */
    public static class Connector {
        private final String password;

        public Connector(String password) {
            this.password = password;
        }

        public String password() {
            return password;
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
            SecretsAutoConfiguration.class})
    @EnableConfigurationProperties(DbSettings.class)
    static class CloudApplication {
        @Bean
        @RefreshScope
        Connector connector(@Value("${app.db.password}") String password) {
            return new Connector(password);
        }
    }

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
        store.database("prod/db", Map.of("username", "app", "password", "first"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void refresh_rebindsConfigurationProperties_andRenewsRefreshScopeBeans_throughContextRefresher() {
        try (ConfigurableApplicationContext ctx = FileStore.builder(CloudApplication.class)
                .listeners((ApplicationListener<SecretChangedEvent>) events::add)
                .run(store.args("--spring.config.import=secrets:prod/db?prefix=app.db.", "--secrets.reload.strategy=refresh",
                        "--secrets.reload.period=1h"))) {
            SecretsWatcher watcher = ctx.getBean(SecretsWatcher.class);
            assertThat(watcher.reloader().usesSpringCloud()).isTrue();
            DbSettings settings = ctx.getBean(DbSettings.class);
            assertThat(settings.getPassword()).isEqualTo("first");
            assertThat(ctx.getBean(Connector.class).password()).isEqualTo("first");

            store.client.putSecretValue("prod/db", SecretValue.ofFields(Map.of("username", "app", "password", CANARY)));

            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(ctx.getBean(DbSettings.class).getPassword()).isEqualTo(CANARY);
            assertThat(ctx.getBean(Connector.class).password()).isEqualTo(CANARY);
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
            assertThat(events).hasSize(1);
            // A second poll finds nothing new, and the refreshed property source is watched in its turn.
            assertThat(watcher.poll()).isZero();
            store.client.putSecretValue("prod/db", SecretValue.ofFields(Map.of("username", "app", "password", "third")));
            assertThat(watcher.poll()).isEqualTo(1);
            assertThat(ctx.getBean(Connector.class).password()).isEqualTo("third");
        }
    }
}
