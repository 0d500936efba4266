package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.VersionDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master-key rotation and re-wrap: after rotating and re-wrapping, every version of every secret
 * is readable and no data key is wrapped by the old key version — checked in the stored records
 * themselves — while the values' ciphertexts are untouched.
 */
class FileStoreKeyRotationTest {
    private static final byte[] KEY = "rotation-test-master-key-0123456".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEAM_KEY = "rotation-test-team-key-01234567x".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SecretsClient client(Path store) {
        return SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .store(new FileObjectStore(store)).masterKey("default", KEY).masterKey("team", TEAM_KEY).cacheTtl(Duration.ZERO)
                .build();
    }

    @Test
    void afterRotationAndRewrap_everyVersionIsReadable_andNoDataKeyIsWrappedByTheOldVersion() throws IOException {
        Path store = dir.resolve("store");
        Map<String, String> values = new LinkedHashMap<>(); // "id versionId" → value
        try (SecretsClient client = client(store)) {
            for (int s = 0; s < 4; s++) {
                String id = "app/s" + s;
                String v = client.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText(id + "-0")))
                        .versions().get(0).versionId();
                values.put(id + " " + v, id + "-0");
                for (int i = 1; i < 3; i++) {
                    values.put(id + " " + client.putSecretValue(id, SecretValue.ofText(id + "-" + i)), id + "-" + i);
                }
            }
            client.deleteSecret("app/s3", 7); // scheduled for deletion: its keys are re-wrapped too
            client.createSecret(CreateSecretRequest.of("team/t", SecretKind.GENERIC, SecretValue.ofText("team")).withKeyName("team"));
            Map<String, String> ciphertextsBefore = ciphertexts(store);

            assertThat(client.rotateMasterKey("default")).isEqualTo(2);
            // New versions use the new key version; old ones stay readable until re-wrapped.
            String fresh = client.putSecretValue("app/s0", SecretValue.ofText("after-rotation"));
            values.put("app/s0 " + fresh, "after-rotation");
            assertThat(keyVersionOf(client, "app/s0", fresh)).isEqualTo(2);
            assertThat(client.getSecretValue(GetSecretValueRequest.of("app/s1").withVersionId(firstVersion(values, "app/s1"))).text())
                    .isEqualTo("app/s1-0");

            List<int[]> progress = new ArrayList<>();
            int rewrapped = client.rewrap("default", (done, all) -> progress.add(new int[] {done, all}));

            assertThat(rewrapped).isEqualTo(12);
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(progress.get(progress.size() - 1)[1]);
            assertThat(client.rewrap("default", null)).as("a second re-wrap has nothing to do").isZero();
            Map<String, String> ciphertextsAfter = ciphertexts(store);
            assertThat(ciphertextsAfter).containsAllEntriesOf(ciphertextsBefore);
        }

        // The stored records themselves: every data key of master key default is wrapped by version 2.
        List<JsonNode> records = records(store, 2);
        assertThat(records).hasSize(5);
        for (JsonNode r : records) {
            int expected = r.get("keyName").asText().equals("default") ? 2 : 1;
            for (JsonNode v : r.get("versions")) {
                assertThat(v.get("keyVersion").asInt()).as("%s %s", r.get("id"), v.get("id")).isEqualTo(expected);
            }
        }

        // A fresh client (another process) reads every version of every secret.
        try (SecretsClient other = client(store)) {
            other.restoreSecret("app/s3");
            for (Map.Entry<String, String> e : values.entrySet()) {
                String[] k = e.getKey().split(" ");
                assertThat(other.getSecretValue(GetSecretValueRequest.of(k[0]).withVersionId(k[1])).text()).isEqualTo(e.getValue());
            }
            assertThat(other.getSecretValue("team/t").text()).isEqualTo("team");
            assertThat(other.describeSecret("app/s1").versions()).extracting(VersionDescription::keyVersion).containsOnly(2);
        }
    }

    @Test
    void aKeyRotatedByAnotherProcess_isPickedUpByAClientThatCachedTheOldKeyring() {
        Path store = dir.resolve("store");
        try (SecretsClient a = client(store); SecretsClient b = client(store)) {
            a.createSecret(CreateSecretRequest.of("s", SecretKind.GENERIC, SecretValue.ofText("one")));
            assertThat(b.getSecretValue("s").text()).isEqualTo("one"); // b caches keyring version 1

            a.rotateMasterKey("default");
            a.putSecretValue("s", SecretValue.ofText("two"));

            assertThat(b.getSecretValue("s").text()).isEqualTo("two");
            b.putSecretValue("s", SecretValue.ofText("three"));
            assertThat(a.getSecretValue("s").text()).isEqualTo("three");
        }
    }

    private static String firstVersion(Map<String, String> values, String id) {
        return values.keySet().stream().filter(k -> k.startsWith(id + " ")).findFirst().orElseThrow().split(" ")[1];
    }

    private static int keyVersionOf(SecretsClient c, String id, String versionId) {
        return c.describeSecret(id).versions().stream().filter(v -> v.versionId().equals(versionId)).findFirst().orElseThrow()
                .keyVersion();
    }

    /** The record JSON of each secret's latest generation file (the third line: after the log frame and the MAC header). */
    private static List<JsonNode> records(Path store, int expectedMacKeyVersion) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(store.resolve("secrets"))) {
            for (Path p : s.filter(f -> f.getFileName().toString().matches("~[0-9a-f]{16}")).collect(Collectors.toList())) {
                String[] lines = Files.readString(p).split("\n", 3);
                JsonNode header = JSON.readTree(lines[1]);
                JsonNode record = JSON.readTree(lines[2]);
                if (expectedMacKeyVersion > 0 && record.get("keyName").asText().equals("default")) {
                    assertThat(header.get("keyVersion").asInt()).as("MAC key version of %s", p).isEqualTo(expectedMacKeyVersion);
                }
                out.add(record);
            }
        }
        return out;
    }

    private static Map<String, String> ciphertexts(Path store) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : records(store, 0)) {
            for (JsonNode v : r.get("versions")) {
                out.put(r.get("id").asText() + " " + v.get("id").asText(), v.get("ciphertext").asText() + v.get("nonce").asText());
            }
        }
        return out;
    }
}
