package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.SecretsClient;
import dev.secrets.testing.IsolatedConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

class SecretsConfigDataLoaderTest {
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
    void databaseSecret_fieldsBecomePropertiesByTheirNames() {
        store.database("prod/app-db", Map.of("username", "app", "password", CANARY, "host", "db.internal", "port", 5432));

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/app-db"))) {
            Environment env = ctx.getEnvironment();
            assertThat(env.getProperty("username")).isEqualTo("app");
            assertThat(env.getProperty("password")).isEqualTo(CANARY);
            assertThat(env.getProperty("host")).isEqualTo("db.internal");
            assertThat(env.getProperty("port", Integer.class)).isEqualTo(5432);
        }
    }

    @Test
    void storeKeyAndImport_fromAnApplicationPropertiesFile() throws java.io.IOException {
        store.database("prod/app-db", Map.of("username", "app", "password", CANARY));
        Path props = tmp.resolve("application.properties");
        java.nio.file.Files.writeString(props, String.join("\n",
                "secrets.store=" + store.storeUri(),
                "secrets.key=" + store.keyUri(),
                "spring.config.import=secrets:prod/app-db?prefix=app.db.", ""));

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class, "--spring.config.location=file:" + props)) {
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
        }
    }

    @Test
    void storeAndKey_fromEnvironmentVariables() {
        store.text("prod/token", "from-env");
        org.springframework.core.env.StandardEnvironment environment = new org.springframework.core.env.StandardEnvironment();
        environment.getPropertySources().replace(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new org.springframework.core.env.SystemEnvironmentPropertySource(
                        org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SECRETS_STORE", store.storeUri(), "SECRETS_KEY", store.keyUri())));

        try (ConfigurableApplicationContext ctx = FileStore.builder(TestApplication.class).environment(environment)
                .run("--spring.config.import=secrets:prod/token")) {
            assertThat(ctx.getEnvironment().getProperty("token")).isEqualTo("from-env");
        }
    }

    @Test
    void textSecret_becomesThePropertyNamedByTheLastSegmentOfItsId() {
        store.text("prod/payments/api-key", CANARY);

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/payments/api-key"))) {
            assertThat(ctx.getEnvironment().getProperty("api-key")).isEqualTo(CANARY);
        }
    }

    @Test
    void prefix_isPutBeforeEveryPropertyName_andBindsToConfigurationProperties() {
        store.database("prod/app-db", Map.of("username", "app", "password", CANARY));

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/app-db?prefix=app.db."))) {
            Environment env = ctx.getEnvironment();
            assertThat(env.getProperty("app.db.username")).isEqualTo("app");
            assertThat(env.getProperty("username")).isNull();
            Map<String, String> bound = Binder.get(env).bindOrCreate("app.db", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class, String.class));
            assertThat(bound).containsEntry("password", CANARY);
        }
    }

    @Test
    void severalIds_eachWithItsOwnPrefix_allBecomeProperties() {
        store.database("prod/app-db", Map.of("username", "app", "password", "db-pass"));
        store.fields("prod/mail", Map.of("username", "mailer", "password", "mail-pass"));
        store.text("prod/api-token", "tok");

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/app-db?prefix=db.;prod/mail?prefix=mail.;prod/api-token"))) {
            Environment env = ctx.getEnvironment();
            assertThat(env.getProperty("db.username")).isEqualTo("app");
            assertThat(env.getProperty("mail.username")).isEqualTo("mailer");
            assertThat(env.getProperty("mail.password")).isEqualTo("mail-pass");
            assertThat(env.getProperty("api-token")).isEqualTo("tok");
        }
    }

    @Test
    void optionalImportOfAMissingSecret_starts() {
        store.text("prod/present", "here");

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=optional:secrets:prod/missing;prod/present"))) {
            assertThat(ctx.getEnvironment().getProperty("present")).isEqualTo("here");
            assertThat(ctx.getEnvironment().getProperty("missing")).isNull();
        }
    }

    @Test
    void requiredImportOfAMissingSecret_failsStartUpNamingTheSecretAndTheStore() {
        assertThatThrownBy(() -> FileStore.run(TestApplication.class, store.args("--spring.config.import=secrets:prod/missing")))
                .isInstanceOf(SecretImportException.class)
                .hasMessageContaining("prod/missing")
                .hasMessageContaining(store.dir.toString())
                .satisfies(e -> assertThat(((SecretImportException) e).reason()).isEqualTo(SecretImportException.Reason.NOT_FOUND));
    }

    @Test
    void importWithoutAStore_failsStartUpSayingHowToConfigureIt() {
        assertThatThrownBy(() -> FileStore.run(TestApplication.class, "--spring.config.import=secrets:prod/app-db"))
                .isInstanceOf(SecretImportException.class)
                .satisfies(e -> assertThat(((SecretImportException) e).reason()).isEqualTo(SecretImportException.Reason.NOT_CONFIGURED))
                .hasMessageContaining("secrets.store");
    }

    @Test
    void invalidSecretId_failsStartUpEvenWhenOptional() {
        assertThatThrownBy(() -> FileStore.run(TestApplication.class,
                store.args("--spring.config.import=optional:secrets:prod//app")))
                .hasMessageContaining("empty segment");
    }

    @Test
    void theClientThatLoadedTheConfiguration_isTheApplicationsClientBean() {
        store.text("prod/token", "t");
        AtomicReference<SecretsClient> bootstrapClient = new AtomicReference<>();

        try (ConfigurableApplicationContext ctx = FileStore.builder(TestApplication.class)
                .addBootstrapRegistryInitializer(registry -> registry.addCloseListener(
                        e -> bootstrapClient.set(e.getBootstrapContext().get(SecretsClient.class))))
                .run(store.args("--spring.config.import=secrets:prod/token"))) {
            assertThat(ctx.getBeansOfType(SecretsClient.class)).hasSize(1);
            assertThat(ctx.getBean(SecretsClient.class)).isSameAs(bootstrapClient.get());
        }
    }

    @Test
    void clientRegisteredInTheBootstrapRegistry_loadsTheConfiguration_andBecomesTheBean() {
        store.text("prod/token", "t");
        SecretsClient own = SecretsClient.builder().config(IsolatedConfig.get()).store(store.storeUri())
                .masterKey("default", store.keyUri()).build();

        try (ConfigurableApplicationContext ctx = FileStore.builder(TestApplication.class)
                .addBootstrapRegistryInitializer(registry -> registry.register(SecretsClient.class,
                        org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier.of(own)))
                .run("--spring.config.import=secrets:prod/token")) {
            assertThat(ctx.getEnvironment().getProperty("token")).isEqualTo("t");
            assertThat(ctx.getBean(SecretsClient.class)).isSameAs(own);
        }
    }

    @Test
    void clientCustomizerInTheBootstrapRegistry_isAppliedToTheConfigDataClient() {
        store.text("prod/token", "t");
        AtomicReference<Integer> calls = new AtomicReference<>(0);

        try (ConfigurableApplicationContext ctx = FileStore.builder(TestApplication.class)
                .addBootstrapRegistryInitializer(registry -> registry.register(SecretsClientCustomizer.class,
                        org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier.of(b -> calls.updateAndGet(n -> n + 1))))
                .run(store.args("--spring.config.import=secrets:prod/token"))) {
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void propertySourceOfTheEnvironment_neverShowsAValue() {
        store.database("prod/app-db", Map.of("username", "app", "password", CANARY));

        try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                store.args("--spring.config.import=secrets:prod/app-db"))) {
            assertThat(ctx.getEnvironment().getPropertySources().toString()).contains("secrets:prod/app-db").doesNotContain(CANARY);
        }
    }
}
