package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secrets.ConfigurationException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind gives a clear error naming the problem, and the store directory is left
 * exactly as it was.
 */
class FileStoreBadInputTest {
    private static final byte[] KEY = "bad-input-test-key-0123456789abc".getBytes(StandardCharsets.US_ASCII);
    private static final Properties NO_PROPS = new Properties();

    @TempDir
    Path dir;
    Path store;
    SecretsClient client;

    @BeforeEach
    void open() {
        store = dir.resolve("store");
        client = SecretsClient.builder().config(config(Map.of())).store("file:" + store).masterKey("default", KEY).build();
        client.createSecret(CreateSecretRequest.of("db/app", SecretKind.DATABASE,
                SecretValue.ofFields(Map.of("username", "app", "password", "pw"))));
        client.createSecret(CreateSecretRequest.of("text", SecretKind.GENERIC, SecretValue.ofText("t")));
    }

    private static SecretsConfig config(Map<String, String> env) {
        return SecretsConfig.builder().environment(env).systemProperties(NO_PROPS).classpathFile(false).build();
    }

    @Test
    void everyInvalidId_isRefusedForEveryOperation_andTheStoreIsUnchanged() throws IOException {
        Map<String, String> before = snapshot(store);
        List<String> ids = List.of("", "/a", "a/", "a//b", "./a", "a/..", "a b", "a\tb", "a\u0000b", "a~b", "a*b", "é", "a:b",
                "x".repeat(513));
        List<Function<String, Object>> operations = List.of(
                id -> client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText("v"))),
                id -> client.putSecretValue(id, SecretValue.ofText("v")),
                id -> client.getSecretValue(id),
                id -> client.describeSecret(id),
                id -> client.deleteSecret(id),
                id -> { client.forceDeleteSecret(id); return null; },
                id -> { client.restoreSecret(id); return null; },
                id -> { client.moveLabel(id, Label.CURRENT, "v"); return null; },
                id -> { client.tagSecret(id, Map.of("a", "b")); return null; });
        for (String id : ids) {
            for (Function<String, Object> op : operations) {
                assertThatThrownBy(() -> op.apply(id)).as("id %s", id).isInstanceOf(InvalidSecretException.class)
                        .hasMessageContaining("secret ID");
            }
        }
        assertThat(snapshot(store)).isEqualTo(before);
    }

    @Test
    void valuesThatAreTooLargeOrDoNotFitTheirKind_areRefused_andTheStoreIsUnchanged() throws IOException {
        Map<String, String> before = snapshot(store);
        assertThatThrownBy(() -> SecretValue.ofText("x".repeat(65 * 1024))).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("64 KiB");
        assertThatThrownBy(() -> SecretValue.ofJson("{\"a\":\"" + "x".repeat(65 * 1024) + "\"}"))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("64 KiB");
        assertThatThrownBy(() -> client.putSecretValue("db/app", SecretValue.ofText("not json")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("database");
        assertThatThrownBy(() -> client.putSecretValue("db/app", SecretValue.ofFields(Map.of("username", "app"))))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining("'password'");
        assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("db/new", SecretKind.RDS,
                SecretValue.ofFields(Map.of("username", "u", "password", "p", "port", "http"))))).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("'port'");
        assertThatThrownBy(() -> SecretValue.ofJson("[1,2]")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> SecretValue.ofJson("{\"nested\":{\"a\":1}}")).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("'nested'");
        assertThatThrownBy(() -> client.putSecretValue(PutSecretValueRequest.of("text", SecretValue.ofText("v"))
                .withToken("bad token"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("token");
        assertThatThrownBy(() -> client.putSecretValue(PutSecretValueRequest.of("text", SecretValue.ofText("v"))
                .withLabels(Label.PENDING, Label.PENDING))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("repeat");
        assertThatThrownBy(() -> client.deleteSecret("text", 3)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("7 to 30");
        assertThatThrownBy(() -> client.createSecret(CreateSecretRequest.of("new", SecretKind.GENERIC, SecretValue.ofText("v"))
                .withKeyName("Bad Key"))).isInstanceOf(InvalidSecretException.class).hasMessageContaining("master key name");
        assertThatThrownBy(() -> SecretKind.of("mongodb")).isInstanceOf(InvalidSecretException.class).hasMessageContaining("mongodb");
        assertThat(snapshot(store)).isEqualTo(before);
    }

    @Test
    void badKeyUris_areRefusedNamingTheProblem_beforeAnythingIsWritten() throws IOException {
        Path fresh = dir.resolve("fresh-store");
        Path readable = dir.resolve("readable.key");
        Files.writeString(readable, Base64.getEncoder().encodeToString(KEY));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = Map.of("NOT_BASE64", "%%%", "SHORT", Base64.getEncoder().encodeToString(new byte[31]),
                "PASS", "short");
        Map<String, String> cases = new TreeMap<>();
        cases.put("nope:x", "no key provider for scheme 'nope'");
        cases.put("plain-text", "not understood");
        cases.put("env:UNSET_VARIABLE", "UNSET_VARIABLE is not set");
        cases.put("env:NOT_BASE64", "base64");
        cases.put("env:SHORT", "31 bytes");
        cases.put("file:" + dir.resolve("missing.key"), "no such file");
        cases.put("file:" + readable, "chmod 600");
        cases.put("file:" + shortKey, "16 bytes");
        cases.put("passphrase-env:UNSET_VARIABLE", "UNSET_VARIABLE is not set");
        cases.put("passphrase-env:PASS", "shorter than 12");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Throwable t = catchThrowable(() -> SecretsClient.builder().config(config(Map.of())).store("file:" + fresh)
                    .environment(env::get).masterKey("default", c.getKey()).build());
            assertThat(t).as(c.getKey()).isInstanceOf(ConfigurationException.class).hasMessageContaining(c.getValue());
        }
        Throwable fromConfig = catchThrowable(() -> SecretsClient.fromConfig(config(Map.of("SECRETS_STORE", "file:" + fresh,
                "SECRETS_KEY", "env:UNSET_VARIABLE"))));
        assertThat(fromConfig).isInstanceOf(ConfigurationException.class).hasMessageContaining("env:UNSET_VARIABLE");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void missingConfiguration_isAClearError() {
        assertThatThrownBy(() -> SecretsClient.fromConfig(config(Map.of()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no store is configured").hasMessageContaining("secrets.store")
                .hasMessageContaining("SECRETS_STORE");
        assertThatThrownBy(() -> SecretsClient.fromConfig(config(Map.of("SECRETS_STORE", "nosuch:/x"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no backend for store scheme 'nosuch'");
        assertThatThrownBy(() -> SecretsClient.fromConfig(config(Map.of("SECRETS_STORE", "no-scheme"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("has no scheme");
        assertThatThrownBy(() -> SecretsClient.fromConfig(config(Map.of("SECRETS_STORE", "file:"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("has no path");
    }

    @Test
    void aClientWithoutTheMasterKey_getsAnErrorNamingIt_andWritesNothing() throws IOException {
        Path fresh = dir.resolve("fresh-store");
        SecretsClient keyless = SecretsClient.builder().config(config(Map.of())).store("file:" + fresh).build();
        assertThatThrownBy(() -> keyless.createSecret(CreateSecretRequest.of("a", SecretKind.GENERIC, SecretValue.ofText("v"))))
                .isInstanceOf(MissingMasterKeyException.class).hasMessageContaining("'default'").hasMessageContaining("secrets.key");
        assertThat(fresh).doesNotExist();

        Map<String, String> before = snapshot(store);
        SecretsClient keylessOnExisting = SecretsClient.builder().config(config(Map.of())).store("file:" + store).build();
        assertThatThrownBy(() -> keylessOnExisting.getSecretValue("text")).isInstanceOf(MissingMasterKeyException.class)
                .hasMessageContaining("'default'");
        assertThatThrownBy(() -> keylessOnExisting.putSecretValue("text", SecretValue.ofText("v")))
                .isInstanceOf(MissingMasterKeyException.class);
        assertThat(snapshot(store)).isEqualTo(before);
    }

    /** Every file's path, permissions and content hash; directories too. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            if (Files.isDirectory(p)) {
                out.put(root.relativize(p) + "/", perms);
            } else {
                try {
                    out.put(root.relativize(p).toString(), perms + " "
                            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
