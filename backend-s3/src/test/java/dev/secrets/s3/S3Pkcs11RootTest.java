package dev.secrets.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.Label;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.MasterKeyDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.pkcs11.Pkcs11Keys;
import dev.secrets.s3.testing.S3ProxyServer;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.SoftHsm;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An S3 store (s3proxy) whose master key's root is an AES-256 key inside a real SoftHSM2 token:
 * create, read, rotate the master key, re-wrap, and a second client (another process's view)
 * reading every version.
 */
class S3Pkcs11RootTest {
    @BeforeAll
    static void tokens() {
        SoftHsm.start();
    }

    private static SecretsClient client(String storeUri, String keyUri) {
        SecretsConfig config = IsolatedConfig.get();
        return SecretsClient.builder().config(config).environment(SoftHsm.environment()::get).store(storeUri)
                .masterKey("default", keyUri).cacheTtl(Duration.ZERO).build();
    }

    @Test
    void s3StoreUnderAnHsmRoot_createReadRotateRewrap() {
        String store = S3ProxyServer.shared().newStoreUri();
        String root = SoftHsm.uri(SoftHsm.TOKEN, "s3-root-" + System.nanoTime());
        Pkcs11Keys.generate("default", root, SoftHsm.environment()::get);
        try (SecretsClient c = client(store, root)) {
            c.createSecret(CreateSecretRequest.of("app/token", SecretKind.GENERIC, SecretValue.ofText("t1")));
            assertThat(c.rotateMasterKey("default")).isEqualTo(2);
            c.putSecretValue("app/token", SecretValue.ofText("t2"));
            assertThat(c.rewrap("default", null)).isEqualTo(1);
        }
        try (SecretsClient other = client(store, root)) {
            assertThat(other.getSecretValue("app/token").text()).isEqualTo("t2");
            assertThat(other.getSecretValue(GetSecretValueRequest.of("app/token").withLabel(Label.PREVIOUS)).text()).isEqualTo("t1");
            MasterKeyDescription d = other.describeMasterKey("default");
            assertThat(d.provider()).isEqualTo("pkcs11");
            assertThat(d.versions()).hasSize(2);
        }
    }
}
