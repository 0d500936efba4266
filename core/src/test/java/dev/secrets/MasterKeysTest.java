package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Master keys as a user meets them: wrong key, missing key, passphrase keys. */
class MasterKeysTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private static final Map<String, String> ENV = Map.of(
            "PASS", "correct horse battery staple",
            "OTHER_PASS", "incorrect horse battery staple",
            "KEY", Base64.getEncoder().encodeToString(key(1)),
            "OTHER_KEY", Base64.getEncoder().encodeToString(key(2)));

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    private SecretsClient client(String... nameAndUri) {
        SecretsClient.Builder b = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store(store).environment(ENV::get);
        for (int i = 0; i < nameAndUri.length; i += 2) {
            b.masterKey(nameAndUri[i], nameAndUri[i + 1]);
        }
        return b.build();
    }

    @Test
    void aWrongMasterKey_isReportedAsWrongMasterKey_notAsDamage() {
        client("default", "env:KEY").createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("v")));

        assertThatThrownBy(() -> client("default", "env:OTHER_KEY").getSecretValue("s")).isInstanceOf(WrongMasterKeyException.class)
                .hasMessageContaining("wrong master key 'default'").hasMessageContaining("env:OTHER_KEY");
    }

    @Test
    void aMissingMasterKey_isNamed_whileMetadataStaysVisible() {
        client("default", "env:KEY", "payments", "env:OTHER_KEY").createSecret(CreateSecretRequest.of("pay/api", SecretKind.GENERIC,
                SecretValue.ofText("v")).withKeyName("payments"));
        SecretsClient withoutPayments = client("default", "env:KEY");

        assertThatThrownBy(() -> withoutPayments.getSecretValue("pay/api")).isInstanceOf(MissingMasterKeyException.class)
                .hasMessageContaining("'payments'").hasMessageContaining("secrets.keys.payments");
        assertThatThrownBy(() -> withoutPayments.putSecretValue("pay/api", SecretValue.ofText("w")))
                .isInstanceOf(MissingMasterKeyException.class).hasMessageContaining("'payments'");
        assertThat(withoutPayments.describeSecret("pay/api").keyName()).isEqualTo("payments");
        assertThatThrownBy(() -> client().getSecretValue("pay/api")).isInstanceOf(MissingMasterKeyException.class);
    }

    @Test
    void aPassphraseKey_unlocksTheStoreForEveryClientWithTheSamePassphrase() throws Exception {
        client("default", "passphrase-env:PASS").createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("v")));

        assertThat(client("default", "passphrase-env:PASS").getSecretValue("s").text()).isEqualTo("v");
        assertThatThrownBy(() -> client("default", "passphrase-env:OTHER_PASS").getSecretValue("s"))
                .isInstanceOf(WrongMasterKeyException.class).hasMessageContaining("wrong master key");
        assertThatThrownBy(() -> client("default", "env:KEY").getSecretValue("s")).isInstanceOf(WrongMasterKeyException.class)
                .hasMessageContaining("passphrase");

        // The Argon2id salt and cost are stored with the store, at OWASP's minimum or more; the passphrase is not.
        String keyring = store.keys().stream().filter(k -> k.startsWith("keys/default/~")).findFirst().orElseThrow();
        String text = new String(store.get(keyring).orElseThrow(), StandardCharsets.ISO_8859_1);
        JsonNode header = new ObjectMapper().readTree(text.split("\n")[1]);
        assertThat(header.at("/kdf/alg").asText()).isEqualTo("argon2id");
        assertThat(header.at("/kdf/memoryKiB").asInt()).isGreaterThanOrEqualTo(19 * 1024);
        assertThat(header.at("/kdf/iterations").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(header.at("/kdf/salt").binaryValue()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(text).doesNotContain("correct horse");
    }
}
