package dev.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The server stores exactly what the library stores: a secret written through the server is read by
 * an ordinary library client (another process would do the same) and the reverse; the bytes on
 * disk hold no plaintext; without the master key nothing is readable.
 */
class LibraryInteropTest {
    private static final String CANARY = "interop-canary-4kd8";

    @TempDir
    Path dir;

    @Test
    void serverWrites_libraryReads_andTheReverse() throws Exception {
        String uri = "file:" + dir.resolve("store");
        try (ServerFixture fx = ServerFixture.start(uri);
             SecretsClient library = SecretsClient.builder().config(IsolatedConfig.get()).store(uri)
                     .masterKey("default", ServerFixture.masterKey()).build()) {
            SecretsManagerClient sm = fx.sdk(fx.admin);
            String v = sm.createSecret(b -> b.name("interop/text").secretString(CANARY + "-text")).versionId();
            sm.createSecret(b -> b.name("interop/bin").secretBinary(SdkBytes.fromByteArray(new byte[] {9, 8, 7})));
            assertThat(library.getSecretValue("interop/text").text()).isEqualTo(CANARY + "-text");
            assertThat(library.getSecretValue("interop/text").versionId()).isEqualTo(v);
            assertThat(library.getSecretValue("interop/text").labels()).containsExactly(Label.CURRENT);
            assertThat(library.getSecretValue("interop/bin").value().bytes()).containsExactly(9, 8, 7);

            library.createSecret(CreateSecretRequest.of("interop/db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", CANARY + "-pw"))));
            String json = sm.getSecretValue(b -> b.secretId("interop/db")).secretString();
            assertThat(json).contains("\"username\":\"app\"").contains(CANARY + "-pw");
            // a database secret takes only its JSON object through the server too
            assertThatThrownBy(() -> sm.putSecretValue(b -> b.secretId("interop/db").secretString("not json")))
                    .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException.class);
            sm.putSecretValue(b -> b.secretId("interop/db").secretString("{\"username\":\"app\",\"password\":\"new\"}"));
            assertThat(library.getSecretValue(GetSecretValueRequest.of("interop/db").bypassingCache()).value().field("password"))
                    .isEqualTo("new");
            library.putSecretValue("interop/text", SecretValue.ofText(CANARY + "-library"));
            assertThat(sm.getSecretValue(b -> b.secretId("interop/text")).secretString()).isEqualTo(CANARY + "-library");
        }
        byte[] needle = CANARY.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    byte[] content = Files.readAllBytes(f);
                    assertThat(indexOf(content, needle)).as(f.toString()).isEqualTo(-1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 1);
        try (SecretsClient stranger = SecretsClient.builder().config(IsolatedConfig.get()).store(uri)
                .masterKey("default", otherKey).build()) {
            assertThatThrownBy(() -> stranger.getSecretValue("interop/text")).isInstanceOf(SecretsException.class)
                    .hasMessageNotContaining(CANARY);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
