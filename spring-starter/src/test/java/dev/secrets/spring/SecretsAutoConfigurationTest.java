package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretsClient;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class SecretsAutoConfigurationTest {
    @TempDir
    Path tmp;
    FileStore store;
    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        store = FileStore.create(tmp);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class, SecretsHealthAutoConfiguration.class,
                        SecretsMetricsAutoConfiguration.class))
                .withPropertyValues("secrets.store=" + store.storeUri(), "secrets.key=" + store.keyUri());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void configuredStore_givesOneClientBean_thatReadsTheStore() {
        store.text("prod/token", "t");
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(SecretsClient.class);
            assertThat(ctx.getBean(SecretsClient.class).getSecretValue("prod/token").text()).isEqualTo("t");
            assertThat(ctx).hasSingleBean(SecretsHealthIndicator.class);
            assertThat(ctx).doesNotHaveBean(SecretsWatcher.class);
        });
    }

    @Test
    void propertiesBind_includingNamedKeysAndDurations() {
        runner.withPropertyValues("secrets.keys.team-a=" + store.keyUri(), "secrets.cache.ttl=90s", "secrets.cache.max-size=10")
                .run(ctx -> {
                    SecretsProperties p = ctx.getBean(SecretsProperties.class);
                    assertThat(p.toConfigSettings()).containsEntry("secrets.store", store.storeUri())
                            .containsEntry("secrets.keys.team-a", store.keyUri())
                            .containsEntry("secrets.cache.ttl", "PT1M30S")
                            .containsEntry("secrets.cache.max-size", "10");
                });
    }

    @Test
    void disabled_givesNoBeans() {
        runner.withPropertyValues("secrets.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(SecretsClient.class);
            assertThat(ctx).doesNotHaveBean(SecretsHealthIndicator.class);
        });
    }

    @Test
    void applicationsOwnClient_winsOverTheAutoConfiguredOne() {
        runner.withUserConfiguration(OwnClient.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(SecretsClient.class);
            assertThat(ctx).getBean("ownClient").isSameAs(ctx.getBean(SecretsClient.class));
        });
    }

    @Test
    void customizerBeans_areAppliedInOrder() {
        runner.withUserConfiguration(Customizers.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(SecretsClient.class);
            assertThat(ctx.getBean(Customizers.class).calls).containsExactly("first", "second");
        });
    }

    @Test
    void watchEnabled_givesAWatcher() {
        runner.withPropertyValues("secrets.watch.enabled=true", "secrets.watch.interval=5m")
                .run(ctx -> assertThat(ctx).hasSingleBean(SecretsWatcher.class));
    }

    @Test
    void healthIndicator_canBeSwitchedOff() {
        runner.withPropertyValues("management.health.secrets.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsHealthIndicator.class));
    }

    @Test
    void withoutActuatorHealth_thereIsNoHealthIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(SecretsClient.class);
                    assertThat(ctx).doesNotHaveBean(SecretsHealthIndicator.class);
                });
    }

    @Test
    void withMicrometer_aMeterBinderFeedsTheClientsMetrics_andWithoutItNone() {
        runner.run(ctx -> assertThat(ctx).hasSingleBean(io.micrometer.core.instrument.binder.MeterBinder.class)
                .hasSingleBean(SecretsMetricsBridge.class));
        runner.withClassLoader(new FilteredClassLoader(io.micrometer.core.instrument.MeterRegistry.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(SecretsClient.class)
                        .doesNotHaveBean(io.micrometer.core.instrument.binder.MeterBinder.class));
    }

    @Test
    void noStoreConfigured_failsWithAMessageThatSaysHowToSetIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class))
                .withSystemProperties("secrets.store=")
                .run(ctx -> {
                    if (System.getenv("SECRETS_STORE") == null) {
                        assertThat(ctx).hasFailed();
                        assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("secrets.store");
                    }
                });
    }

    @Test
    void configurationMetadata_describesTheSecretsProperties() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json).contains("\"secrets.store\"", "\"secrets.key\"", "\"secrets.keys\"", "\"secrets.enabled\"",
                "\"secrets.cache.ttl\"", "\"secrets.watch.enabled\"", "\"secrets.watch.interval\"", "Store URI",
                "\"secrets.import.allow-reserved-names\"", "\"management.health.secrets.rotation.enabled\"",
                "\"management.health.secrets.cache.ttl\"");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean
        SecretsClient ownClient() {
            return SecretsClient.builder().config(IsolatedConfig.get()).store("file:" + System.getProperty("java.io.tmpdir")
                    + "/secrets-own-client-test").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final List<String> calls = new ArrayList<>();

        @Bean
        @Order(2)
        SecretsClientCustomizer second() {
            return b -> calls.add("second");
        }

        @Bean
        @Order(1)
        SecretsClientCustomizer first() {
            return b -> calls.add("first");
        }
    }
}
