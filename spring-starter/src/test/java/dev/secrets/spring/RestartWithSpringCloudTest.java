package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.restart.RestartEndpoint;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@code secrets.reload.strategy=restart} WITH Spring Cloud Context: a change restarts the context
 * through its {@code RestartEndpoint}, and the new context starts with the new value.
 */
class RestartWithSpringCloudTest {
    @TempDir
    Path tmp;
    FileStore store;
    static final BlockingQueue<ConfigurableApplicationContext> READY = new LinkedBlockingQueue<>();

    @SpringBootConfiguration
    @ImportAutoConfiguration(SecretsAutoConfiguration.class)
    @EnableConfigurationProperties(DbSettings.class)
    static class RestartApplication {
        @Bean
        RestartEndpoint restartEndpoint() {
            return new RestartEndpoint();
        }
    }

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
        store.database("prod/db", Map.of("username", "app", "password", "first"));
        READY.clear();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void restart_startsANewContext_thatHasTheNewValue() throws InterruptedException {
        ConfigurableApplicationContext first = FileStore.builder(RestartApplication.class)
                .listeners((ApplicationListener<ApplicationReadyEvent>) e -> READY.add(e.getApplicationContext()))
                .run(store.args("--spring.config.import=secrets:prod/db?prefix=app.db.", "--secrets.reload.strategy=restart",
                        "--secrets.reload.period=1h"));
        ConfigurableApplicationContext second = null;
        try {
            assertThat(READY.poll(60, TimeUnit.SECONDS)).isSameAs(first);
            assertThat(first.getBean(DbSettings.class).getPassword()).isEqualTo("first");
            store.client.putSecretValue("prod/db", SecretValue.ofFields(Map.of("username", "app", "password", CANARY)));

            assertThat(first.getBean(SecretsWatcher.class).poll()).isEqualTo(1);

            second = READY.poll(120, TimeUnit.SECONDS); // the restart runs on its own thread
            assertThat(second).isNotNull().isNotSameAs(first);
            assertThat(first.isActive()).isFalse();
            assertThat(second.getBean(DbSettings.class).getPassword()).isEqualTo(CANARY);
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }
}
