package dev.secrets.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.spring.SecretsWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

class ExampleApplicationTest {
    @TempDir
    Path tmp;

    @Test
    void startsOnItsDemoStore_withTheSecretsBoundToProperties() throws IOException {
        Path store = tmp.resolve("example-store");
        Path key = tmp.resolve("example-store.key");
        ExampleApplication.createDemoStoreIfMissing(store, key);
        // Twice: the second run finds the secrets and keeps them.
        ExampleApplication.createDemoStoreIfMissing(store, key);

        SpringApplication app = new SpringApplication(ExampleApplication.class);
        app.setRegisterShutdownHook(false);
        try (ConfigurableApplicationContext ctx = app.run("--secrets.store=file:" + store, "--secrets.key=file:" + key)) {
            assertThat(ctx.getBean(GreetingProperties.class).getMessage()).isEqualTo("Hello from a secret");
            assertThat(ctx.getEnvironment().getProperty("api-key")).hasSize(32);
            assertThat(ctx.getBean(SecretsClient.class).getSecretValue("demo/api-key").text())
                    .isEqualTo(ctx.getEnvironment().getProperty("api-key"));
            assertThat(ctx.getBeansOfType(SecretsWatcher.class)).hasSize(1);
        }
    }

    @Test
    void theGreetingPropertiesBean_followsARotation_withoutARestart() throws IOException {
        Path store = tmp.resolve("example-store");
        Path key = tmp.resolve("example-store.key");
        ExampleApplication.createDemoStoreIfMissing(store, key);
        SpringApplication app = new SpringApplication(ExampleApplication.class);
        app.setRegisterShutdownHook(false);
        try (ConfigurableApplicationContext ctx = app.run("--secrets.store=file:" + store, "--secrets.key=file:" + key,
                "--secrets.reload.period=1h");
             SecretsClient other = SecretsClient.builder().store("file:" + store).masterKey("default", "file:" + key).build()) {
            GreetingProperties greeting = ctx.getBean(GreetingProperties.class);
            assertThat(greeting.getMessage()).isEqualTo("Hello from a secret");

            other.putSecretValue("demo/greeting", SecretValue.ofFields(Map.of("message", "Hello after rotation", "recipient", "team")));
            assertThat(greeting.getMessage()).isEqualTo("Hello from a secret");
            assertThat(ctx.getBean(SecretsWatcher.class).poll()).isEqualTo(1); // what the 5 s schedule does

            assertThat(greeting.getMessage()).isEqualTo("Hello after rotation");
            assertThat(greeting.getRecipient()).isEqualTo("team");
        }
    }
}
