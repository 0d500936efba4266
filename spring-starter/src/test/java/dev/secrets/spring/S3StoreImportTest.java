package dev.secrets.spring;

import static dev.secrets.spring.FileStore.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.IsolatedConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code spring.config.import=secrets:} from an S3 store (a real s3proxy server). */
class S3StoreImportTest {
    @TempDir
    Path tmp;

    @Test
    void propertiesBoundFromAnS3Store_andTheHealthIndicatorSeesIt() {
        S3ProxyServer s3 = S3ProxyServer.shared();
        String storeUri = s3.newStoreUri();
        // The key file only; the store is S3.
        try (FileStore keys = FileStore.create(tmp);
             SecretsClient writer = SecretsClient.builder().config(IsolatedConfig.get()).store(storeUri)
                     .masterKey("default", keys.keyUri()).build()) {
            writer.createSecret(CreateSecretRequest.of("prod/app-db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", CANARY))));
            writer.createSecret(CreateSecretRequest.of("prod/api-key", SecretKind.GENERIC, SecretValue.ofText("k-1")));

            try (ConfigurableApplicationContext ctx = FileStore.run(TestApplication.class,
                    "--secrets.store=" + storeUri, "--secrets.key=" + keys.keyUri(),
                    "--spring.config.import=secrets:prod/app-db?prefix=app.db.;prod/api-key")) {
                assertThat(ctx.getEnvironment().getProperty("app.db.username")).isEqualTo("app");
                assertThat(ctx.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
                assertThat(ctx.getEnvironment().getProperty("api-key")).isEqualTo("k-1");
                assertThat(ctx.getBean(SecretsHealthIndicator.class).health().getDetails()).containsEntry("store", storeUri);
            }
        }
    }
}
