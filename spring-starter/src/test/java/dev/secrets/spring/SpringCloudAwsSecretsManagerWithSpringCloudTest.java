package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.SecretsServer;
import dev.secrets.server.ServerConfig;
import io.awspring.cloud.autoconfigure.config.secretsmanager.SecretsManagerAutoConfiguration;
import io.awspring.cloud.autoconfigure.config.secretsmanager.SecretsManagerReloadAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Spring Cloud AWS 4.0 ({@code io.awspring.cloud:spring-cloud-aws-starter-secrets-manager}, the line
 * for Spring Boot 4.0), unchanged, in a Boot 4 application against a real {@code secrets serve}:
 * {@code spring.config.import=aws-secretsmanager:app/db?prefix=app.db.} with only its documented
 * settings {@code spring.cloud.aws.secretsmanager.endpoint}, {@code spring.cloud.aws.secretsmanager.region}
 * and {@code spring.cloud.aws.credentials.access-key/secret-key}. The secret's fields are bound into a
 * {@code @ConfigurationProperties} bean and a {@code @RefreshScope} bean; after a rotation done by the
 * server ({@code RotateSecret}, rotator {@code random-password}) its documented reload
 * ({@code spring.cloud.aws.secretsmanager.reload.strategy=refresh}, polling every
 * {@code reload.period}) rebinds both. Its reload needs Spring Cloud Context's {@code ContextRefresher}
 * (and, for its auto-configuration to apply, Spring Cloud Commons and Boot's actuator
 * auto-configuration on the class path), hence the {@code with-spring-cloud} surefire execution.
 */
class SpringCloudAwsSecretsManagerWithSpringCloudTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RELOAD_PERIOD = Duration.ofSeconds(1);
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}";
    /** What the application's key may do: read secrets under app/, nothing else. */
    private static final String READ_APP = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/*\"}]}";

    @TempDir
    Path tmp;
    FileStore store;
    SecretsServer server;
    AccessKeys.Pair admin;
    AccessKeys.Pair app;

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
    @ImportAutoConfiguration({AwsAutoConfiguration.class, CredentialsProviderAutoConfiguration.class,
            RegionProviderAutoConfiguration.class, SecretsManagerAutoConfiguration.class,
            SecretsManagerReloadAutoConfiguration.class, RefreshAutoConfiguration.class,
            ConfigurationPropertiesRebinderAutoConfiguration.class})
    @EnableConfigurationProperties(DbSettings.class)
    static class AwsApplication {
        @Bean
        @RefreshScope
        Connector connector(@Value("${app.db.password}") String password) {
            return new Connector(password);
        }
    }

    @BeforeEach
    void startServer() {
        store = FileStore.create(tmp);
        store.fields("app/db", Map.of("username", "app", "password", "first-password"));
        AccessKeys keys = new AccessKeys(store.client);
        admin = keys.create("admin", ALLOW_ALL);
        app = keys.create("spring-app", READ_APP);
        server = SecretsServer.start(store.client, ServerConfig.builder().port(0).accessKeyTtl(Duration.ZERO).build(),
                Clock.systemUTC(), System::nanoTime);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        store.close();
    }

    @Test
    void configImport_bindsTheSecretsFields_andReloadPicksUpARotationByTheServer() throws Exception {
        try (ConfigurableApplicationContext ctx = FileStore.builder(AwsApplication.class).run(
                "--spring.config.import=aws-secretsmanager:app/db?prefix=app.db.",
                "--spring.cloud.aws.secretsmanager.endpoint=" + server.endpoint(),
                "--spring.cloud.aws.secretsmanager.region=us-east-1",
                "--spring.cloud.aws.credentials.access-key=" + app.accessKeyId(),
                "--spring.cloud.aws.credentials.secret-key=" + app.secretAccessKey(),
                "--spring.cloud.aws.secretsmanager.reload.strategy=refresh",
                "--spring.cloud.aws.secretsmanager.reload.period=" + RELOAD_PERIOD.toMillis() + "ms");
             SecretsManagerClient sdk = SecretsManagerClient.builder()
                     .endpointOverride(server.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(admin.accessKeyId(), admin.secretAccessKey())))
                     .build()) {
            assertThat(ctx.getBean(DbSettings.class).getUsername()).isEqualTo("app");
            assertThat(ctx.getBean(DbSettings.class).getPassword()).isEqualTo("first-password");
            assertThat(ctx.getBean(Connector.class).password()).isEqualTo("first-password");
            assertThat(ctx.getEnvironment().getProperty("app.db.username")).isEqualTo("app");

            sdk.rotateSecret(b -> b.secretId("app/db").rotationLambdaARN("random-password")
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
            JsonNode rotated = JSON.readTree(sdk.getSecretValue(b -> b.secretId("app/db")).secretString());
            String newPassword = rotated.path("password").asText();
            assertThat(newPassword).isNotEqualTo("first-password").hasSize(32);
            assertThat(rotated.path("username").asText()).isEqualTo("app");

            Duration took = await(() -> ctx.getBean(DbSettings.class).getPassword(), newPassword, Duration.ofSeconds(20));
            assertThat(ctx.getBean(Connector.class).password()).isEqualTo(newPassword);
            assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(newPassword);
            assertThat(ctx.getBean(DbSettings.class).getUsername()).isEqualTo("app");
            assertThat(took).isLessThan(Duration.ofSeconds(20));
        }
    }

    /** Polls (every 100 ms, bounded) until {@code read} gives {@code expected}; returns how long it took. */
    private static Duration await(Supplier<String> read, String expected, Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        String seen = read.get();
        while (!expected.equals(seen) && System.nanoTime() - start < bound.toNanos()) {
            Thread.sleep(100);
            seen = read.get();
        }
        assertThat(seen).as("the reload picks up the rotated value within " + bound).isEqualTo(expected);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
