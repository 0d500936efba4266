package dev.secrets.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.ConfigurationException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.MasterKeyDescription;
import dev.secrets.Pkcs11Token;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.file.FileObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pkcs11:} roots against real SoftHSM2 tokens: the key is made inside the token sensitive
 * and non-extractable (read back from the token's own object file with {@code softhsm2-dump-file},
 * not through our code), a file store works end to end under it, and each misconfiguration gives
 * one clear error.
 */
class Pkcs11RootTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tokens() {
        SoftHsm.start();
    }

    static SecretsClient client(Path store, String keyUri, Map<String, String> env) {
        return SecretsClient.builder()
                .config(IsolatedConfig.get())
                .environment(env::get).store(new FileObjectStore(store)).masterKey("default", keyUri).cacheTtl(Duration.ZERO).build();
    }

    static synchronized String newKey(String token, String object) {
        String uri = SoftHsm.uri(token, object);
        assertThat(Pkcs11Token.generateKey(uri, SoftHsm.environment()::get)).isEqualTo("pkcs11:token=" + token + ";object=" + object);
        return uri;
    }

    @Test
    void generatedKeyIsSensitiveNonExtractableAes256_asTheTokenItselfRecordsIt() throws Exception {
        Set<Path> before = new HashSet<>(SoftHsm.objectFiles());
        newKey(SoftHsm.OTHER_TOKEN, "attr-check");
        List<Path> created = SoftHsm.objectFiles().stream().filter(p -> !before.contains(p)).toList();
        assertThat(created).hasSize(1);
        String dump = SoftHsm.dump(created.get(0));
        assertThat(attribute(dump, "CKA_KEY_TYPE")).contains("CKK_AES");
        assertThat(attribute(dump, "CKA_VALUE_LEN")).contains("CK_ULONG 32");
        assertThat(attribute(dump, "CKA_SENSITIVE")).contains("TRUE");
        assertThat(attribute(dump, "CKA_EXTRACTABLE")).contains("FALSE");
        assertThat(attribute(dump, "CKA_NEVER_EXTRACTABLE")).contains("TRUE");
        assertThat(attribute(dump, "CKA_TOKEN")).contains("TRUE");

        assertThatThrownBy(() -> newKey(SoftHsm.OTHER_TOKEN, "attr-check")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("already has").hasMessageContaining("nothing was created");
        assertThat(SoftHsm.objectFiles()).hasSize(before.size() + 1);
    }

    /** The value line of {@code name} in softhsm2-dump-file's output (the third line of the attribute). */
    private static String attribute(String dump, String name) {
        List<String> lines = dump.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(" " + name)) {
                return lines.get(i + 2);
            }
        }
        throw new AssertionError(name + " not in the dump");
    }

    @Test
    void fileStoreUnderAnHsmRoot_createReadRotateRewrap_andANewProcessReadsIt() throws Exception {
        String uri = newKey(SoftHsm.TOKEN, "file-store-root");
        Path store = dir.resolve("store");
        try (SecretsClient c = client(store, uri, SoftHsm.environment())) {
            c.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE, SecretValue.ofJson("{\"username\":\"u\",\"password\":\"p1\"}")));
            assertThat(c.getSecretValue("app/db").field("password")).isEqualTo("p1");
            assertThat(c.rotateMasterKey("default")).isEqualTo(2);
            c.putSecretValue("app/db", SecretValue.ofJson("{\"username\":\"u\",\"password\":\"p2\"}"));
            assertThat(c.rewrap("default", null)).isEqualTo(1);
            MasterKeyDescription d = c.describeMasterKey("default");
            assertThat(d.provider()).isEqualTo("pkcs11");
            assertThat(d.versions()).extracting(MasterKeyDescription.Version::state)
                    .containsExactly(MasterKeyDescription.State.ACTIVE, MasterKeyDescription.State.PRIMARY);
        }
        // The keyring object holds no key in clear: its header names the root by scheme and carries the wrapped key only.
        Path keyring = onlyFile(store.resolve("keys/default"));
        String header = new String(Files.readAllBytes(keyring), StandardCharsets.ISO_8859_1).lines().skip(1).findFirst().orElseThrow();
        assertThat(header).contains("\"format\":2").contains("\"root\":\"pkcs11\"").contains("wrappedKey").doesNotContain("module-path")
                .doesNotContain(SoftHsm.PIN);
        // PIN from a file this time: same root, another process's view.
        Path pin = SoftHsm.pinFile(dir.resolve("hsm.pin"));
        String byFile = uri.replace("pin-source=env:" + SoftHsm.PIN_ENV, "pin-source=file:" + pin);
        try (SecretsClient c = client(store, byFile, Map.of())) {
            assertThat(c.getSecretValue("app/db").field("password")).isEqualTo("p2");
            assertThat(c.getSecretValue(GetSecretValueRequest.of("app/db").withLabel(dev.secrets.Label.PREVIOUS)).field("password"))
                    .isEqualTo("p1");
        }
        // Another key of the same token is another root: a wrong master key, said as such.
        String other = newKey(SoftHsm.TOKEN, "another-root");
        try (SecretsClient c = client(store, other, SoftHsm.environment())) {
            assertThatThrownBy(() -> c.getSecretValue("app/db")).isInstanceOf(WrongMasterKeyException.class)
                    .hasMessageContaining("wrong master key 'default'").hasMessageNotContaining(SoftHsm.PIN);
        }
        // A 32-byte file root is not the HSM root either.
        Path keyFile = dir.resolve("k");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (SecretsClient c = client(store, "file:" + keyFile, Map.of())) {
            assertThatThrownBy(() -> c.getSecretValue("app/db")).isInstanceOf(WrongMasterKeyException.class)
                    .hasMessageContaining("pkcs11");
        }
    }

    private static Path onlyFile(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("~")).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    @Test
    void wrongPin_isOneClearErrorWithoutThePin() {
        Function<String, String> wrong = Map.of(SoftHsm.PIN_ENV, "999999")::get;
        assertThatThrownBy(() -> Pkcs11Token.generateKey(SoftHsm.uri(SoftHsm.PIN_TEST_TOKEN, "k"), wrong))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("master key 'default' (pkcs11:token=pin-test;object=k): wrong PIN for the token (PIN from environment variable "
                        + SoftHsm.PIN_ENV + ")")
                .hasMessageNotContaining("999999");
    }

    @Test
    void missingToken_namesTheTokensThatArePresent() {
        assertThatThrownBy(() -> client(dir, SoftHsm.uri("no-such-token", "k"), SoftHsm.environment()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no such token").hasMessageContaining("'secrets'").hasMessageContaining("'pin-test'");
    }

    @Test
    void missingModule_namesThePath() {
        String uri = SoftHsm.uri(SoftHsm.TOKEN, "k").replace(SoftHsm.MODULE, "/usr/lib/no/such-pkcs11.so");
        assertThatThrownBy(() -> client(dir, uri, SoftHsm.environment())).isInstanceOf(ConfigurationException.class)
                .hasMessage("master key 'default' (pkcs11:token=secrets;object=k): PKCS#11 module /usr/lib/no/such-pkcs11.so does not exist (module-path)");
    }

    @Test
    void missingKey_saysHowToCreateIt() {
        assertThatThrownBy(() -> client(dir, SoftHsm.uri(SoftHsm.TOKEN, "never-made"), SoftHsm.environment()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("has no key labelled 'never-made'")
                .hasMessageContaining("secrets keys generate --pkcs11");
    }

    @Test
    void keyOfTheWrongType_isRefusedNamingItsType() throws Exception {
        // An RSA private key imported into the token under the label the URI names.
        var kp = KeyPairGenerator.getInstance("RSA");
        kp.initialize(2048);
        Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        SoftHsm.run("softhsm2-util", "--import", pem.toString(), "--token", SoftHsm.OTHER_TOKEN, "--label", "rsa-root", "--id", "0a0b",
                "--pin", SoftHsm.PIN);
        assertThatThrownBy(() -> client(dir, SoftHsm.uri(SoftHsm.OTHER_TOKEN, "rsa-root"), SoftHsm.environment()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'rsa-root' is a private key (key type RSA), not an AES key; a root must be an AES-256 secret key");
    }

    @Test
    void pinInTheUri_isRefused() {
        String uri = "pkcs11:token=secrets;object=k?module-path=" + SoftHsm.MODULE + "&pin-value=123456";
        assertThatThrownBy(() -> client(dir, uri, Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the PIN must not be written in the key URI").hasMessageNotContaining("123456");
    }
}
