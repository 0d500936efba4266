package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.s3.testing.S3ProxyExtension;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(S3ProxyExtension.class)
class S3ObjectStoreProviderTest {
    private static SecretsConfig config(Map<String, String> settings) {
        return IsolatedConfig.builder().setAll(settings).build();
    }

    @Test
    void theS3Scheme_isFoundThroughServiceLoader() {
        try (ObjectStore store = SecretsClient.Builder.openStore("s3://b1/p?endpoint=http://127.0.0.1:9&pathStyle=true", config(Map.of()))) {
            assertThat(store).isInstanceOf(S3ObjectStore.class);
            assertThat(store.location()).isEqualTo("s3://b1/p?endpoint=http://127.0.0.1:9&pathStyle=true");
        }
    }

    @Test
    void aClientConfiguredBySecretsStore_writesAndReadsThroughS3(S3ProxyServer s3) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        String uri = s3.newStoreUri();
        try (SecretsClient client = SecretsClient.builder().config(config(Map.of(SecretsConfig.STORE, uri))).masterKey("default", key).build()) {
            client.createSecret(CreateSecretRequest.of("prod/db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", "canary-pw-91"))));
            assertThat(client.getSecretValue("prod/db").field("password")).isEqualTo("canary-pw-91");
            assertThat(client.toString()).doesNotContain("canary");
        }
        // Only ciphertext reaches the bucket.
        s3.admin().listObjectsV2(b -> b.bucket(uri.substring(5, uri.indexOf('?')))).contents().forEach(o -> {
            String body = s3.admin().getObjectAsBytes(b -> b.bucket(uri.substring(5, uri.indexOf('?'))).key(o.key())).asString(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(body).doesNotContain("canary-pw-91");
        });
    }

    @Test
    void badSettings_areConfigurationErrors() {
        assertThatThrownBy(() -> new S3ObjectStoreProvider().open("s3://b1?endpoint=http://127.0.0.1:9", config(Map.of(S3ObjectStoreProvider.MAX_ATTEMPTS, "0"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(S3ObjectStoreProvider.MAX_ATTEMPTS);
        assertThatThrownBy(() -> new S3ObjectStoreProvider().open("s3://b1?region=Not_A_Region", config(Map.of())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("region");
    }
}
