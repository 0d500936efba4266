package dev.secrets.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * {@code aws-kms:} roots against moto's KMS: create/read/rotate on a file store, rekey file →
 * aws-kms → file with the old root opening nothing, the encryption context checked by KMS itself
 * (a keyring copied to another store fails to decrypt), and a disabled key's clear error.
 */
class AwsKmsRootTest {
    private static final String REGION = "eu-west-1";
    private static URI endpoint;
    private static KmsClient kms;

    @TempDir
    Path dir;

    @BeforeAll
    static void moto() throws Exception {
        endpoint = MotoServer.start();
        kms = KmsClient.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
    }

    private static String newKey() {
        return kms.createKey(b -> b.description("secrets test")).keyMetadata().arn();
    }

    private static String uri(String arn) {
        return "aws-kms:" + arn + "?endpoint=" + endpoint;
    }

    private static SecretsClient client(Path store, String keyUri) {
        return SecretsClient.builder()
                .config(IsolatedConfig.get())
                .environment(k -> null).store(new FileObjectStore(store)).masterKey("default", keyUri).cacheTtl(Duration.ZERO).build();
    }

    private String newFileRoot(String name) throws Exception {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Path f = dir.resolve(name);
        Files.writeString(f, Base64.getEncoder().encodeToString(k));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return "file:" + f;
    }

    @Test
    void createReadRotate_underAKmsKey_andAnAlias() throws Exception {
        String arn = newKey();
        Path store = dir.resolve("store");
        try (SecretsClient c = client(store, uri(arn))) {
            c.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE, SecretValue.ofJson("{\"username\":\"u\",\"password\":\"p1\"}")));
            assertThat(c.rotateMasterKey("default")).isEqualTo(2);
            c.putSecretValue("app/db", SecretValue.ofJson("{\"username\":\"u\",\"password\":\"p2\"}"));
            assertThat(c.describeMasterKey("default").provider()).isEqualTo("aws-kms");
        }
        String header = header(store);
        assertThat(header).contains("\"format\":2").contains("\"root\":\"aws-kms\"").contains("wrappedKey");
        String aliasArn = arn.replaceFirst("key/.*", "alias/secrets-test-" + System.nanoTime());
        kms.createAlias(b -> b.aliasName(aliasArn.substring(aliasArn.indexOf("alias/"))).targetKeyId(arn));
        try (SecretsClient c = client(store, uri(aliasArn))) {
            assertThat(c.getSecretValue("app/db").field("password")).isEqualTo("p2");
        }
        try (SecretsClient c = client(store, uri(newKey()))) {
            assertThatThrownBy(() -> c.getSecretValue("app/db")).isInstanceOf(WrongMasterKeyException.class)
                    .hasMessageContaining("wrong master key 'default'");
        }
    }

    @Test
    void rekeyFileToKmsAndBack_oldRootOpensNothing() throws Exception {
        String arn = newKey();
        Path store = dir.resolve("store");
        String fileRoot = newFileRoot("a.key");
        try (SecretsClient c = client(store, fileRoot)) {
            c.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("value")));
            c.rotateMasterKey("default");
            assertThat(c.rekey("default", uri(arn))).isEqualTo(2);
        }
        assertThat(header(store)).contains("\"root\":\"aws-kms\"");
        try (SecretsClient c = client(store, fileRoot)) {
            assertThatThrownBy(() -> c.getSecretValue("s")).isInstanceOf(WrongMasterKeyException.class);
        }
        String fresh = newFileRoot("b.key");
        try (SecretsClient c = client(store, uri(arn))) {
            assertThat(c.getSecretValue("s").text()).isEqualTo("value");
            assertThat(c.rekey("default", fresh)).isEqualTo(2);
        }
        assertThat(header(store)).contains("\"root\":\"file\"");
        try (SecretsClient c = client(store, uri(arn))) {
            assertThatThrownBy(() -> c.getSecretValue("s")).isInstanceOf(WrongMasterKeyException.class);
        }
        try (SecretsClient c = client(store, fresh)) {
            assertThat(c.getSecretValue("s").text()).isEqualTo("value");
        }
    }

    @Test
    void keyringCopiedToAnotherStore_failsToDecrypt_becauseKmsChecksTheEncryptionContext() throws Exception {
        String arn = newKey();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String storeA;
        String storeB;
        try (SecretsClient c = client(a, uri(arn))) {
            c.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("value")));
            storeA = c.initialize("default");
        }
        try (SecretsClient c = client(b, uri(arn))) {
            storeB = c.initialize("default");
        }
        Path keyringA = only(a.resolve("keys/default"));
        Path keyringB = only(b.resolve("keys/default"));
        Files.copy(keyringA, keyringB, StandardCopyOption.REPLACE_EXISTING);
        try (SecretsClient c = client(b, uri(arn))) {
            assertThatThrownBy(() -> c.initialize("default")).isInstanceOf(WrongMasterKeyException.class)
                    .hasMessageContaining("KMS refused the keyring key");
        }
        // The refusal is KMS's own: the same ciphertext decrypts with store A's context and not with store B's.
        byte[] wrapped = Base64.getDecoder().decode(header(a).replaceAll(".*\"wrappedKey\":\"([^\"]+)\".*", "$1"));
        assertThat(kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                .encryptionContext(Map.of("secrets:store", storeA, "secrets:key", "default"))).plaintext().asByteArray()).hasSize(32);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                .encryptionContext(Map.of("secrets:store", storeB, "secrets:key", "default")))).isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void disabledKey_givesItsClearError() throws Exception {
        String arn = newKey();
        Path store = dir.resolve("store");
        try (SecretsClient c = client(store, uri(arn))) {
            c.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("value")));
        }
        String keyId = arn.substring(arn.indexOf("key/") + 4); // moto's DisableKey takes the key ID, not the ARN
        kms.disableKey(b -> b.keyId(keyId));
        assertThatThrownBy(() -> client(store, uri(arn))).isInstanceOf(SecretsException.class)
                .hasMessage("master key 'default' (aws-kms:" + arn + "): the KMS key is disabled; enable it (aws kms enable-key --key-id "
                        + arn + ") or rekey to another root");
        kms.enableKey(b -> b.keyId(keyId));
        try (SecretsClient c = client(store, uri(arn))) {
            assertThat(c.getSecretValue("s").text()).isEqualTo("value");
        }
    }

    @Test
    void badUris_andAMissingKey_areOneClearError() {
        assertThatThrownBy(() -> client(dir, "aws-kms:not-an-arn")).isInstanceOf(dev.secrets.ConfigurationException.class)
                .hasMessageContaining("is not a KMS key or alias ARN");
        String missing = "arn:aws:kms:" + REGION + ":123456789012:key/00000000-0000-0000-0000-000000000000";
        assertThatThrownBy(() -> client(dir, uri(missing))).isInstanceOf(SecretsException.class)
                .hasMessageContaining("no such KMS key in region " + REGION);
    }

    private static String header(Path store) throws Exception {
        return new String(Files.readAllBytes(only(store.resolve("keys/default"))), StandardCharsets.ISO_8859_1).lines().skip(1)
                .findFirst().orElseThrow();
    }

    private static Path only(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("~")).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }
}
