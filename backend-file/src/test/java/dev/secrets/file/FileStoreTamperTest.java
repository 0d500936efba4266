package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
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
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper detection: any change to the stored bytes of a secret — values, metadata, labels — makes
 * its reads fail with {@link SecretTamperedException} naming it, never returns other plaintext, and
 * leaves every other secret readable.
 */
class FileStoreTamperTest {
    private static final byte[] KEY = "tamper-test-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path store;
    SecretsClient client;
    /** What each read of the victim returns when nothing was touched. */
    final Map<String, String> expected = new LinkedHashMap<>();

    @BeforeEach
    void populate() {
        store = dir.resolve("store");
        client = SecretsClient.builder()
                .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false).build())
                .store(new FileObjectStore(store)).masterKey("default", KEY).cacheTtl(Duration.ZERO).build();
        client.createSecret(CreateSecretRequest.of("app/victim", SecretKind.DATABASE,
                SecretValue.ofFields(Map.of("username", "app", "password", "victim-pw-1"))).withTag("team", "a").withDescription("d"));
        client.putSecretValue("app/victim", SecretValue.ofFields(Map.of("username", "app", "password", "victim-pw-2")));
        client.putSecretValue(PutSecretValueRequest.of("app/victim", SecretValue.ofFields(Map.of("username", "app",
                "password", "victim-pw-3"))).withLabels(Label.of("blue")));
        client.createSecret(CreateSecretRequest.of("app/bystander", SecretKind.GENERIC, SecretValue.ofText("bystander-value")));
        client.createSecret(CreateSecretRequest.of("app/other", SecretKind.GENERIC, SecretValue.ofText("other-value")));
        expected.put("CURRENT", "victim-pw-2");
        expected.put("PREVIOUS", "victim-pw-1");
        expected.put("blue", "victim-pw-3");
    }

    @Test
    void flippingAnyByteOfASecretsRecord_failsItsReadsAsTampered_andOtherSecretsStayReadable() throws IOException {
        Path record = recordFile("app/victim");
        byte[] original = Files.readAllBytes(record);
        Random random = new Random(42);
        List<String> undetected = new ArrayList<>();
        int positions = 0;
        for (int pos = 0; pos < original.length; pos++) {
            byte[] flipped = original.clone();
            flipped[pos] ^= (byte) (1 + random.nextInt(255));
            Files.write(record, flipped);
            positions++;
            for (Map.Entry<String, String> e : expected.entrySet()) {
                Throwable t = catchThrowable(() -> client.getSecretValue(GetSecretValueRequest.of("app/victim")
                        .withLabel(Label.of(e.getKey()))).field("password"));
                if (t == null) {
                    String got = client.getSecretValue(GetSecretValueRequest.of("app/victim").withLabel(Label.of(e.getKey())))
                            .field("password");
                    assertThat(got).as("a read after flipping byte %d never returns other plaintext", pos).isEqualTo(e.getValue());
                    undetected.add(pos + " (" + context(original, pos) + ") " + e.getKey());
                } else {
                    assertThat(t).as("byte %d (%s)", pos, context(original, pos)).isInstanceOf(SecretTamperedException.class)
                            .hasMessageContaining("app/victim");
                }
            }
            if (pos % 25 == 0) {
                assertThat(client.getSecretValue("app/bystander").text()).isEqualTo("bystander-value");
                assertThat(client.getSecretValue("app/other").text()).isEqualTo("other-value");
            }
        }
        Files.write(record, original);
        assertThat(client.getSecretValue("app/victim").field("password")).isEqualTo("victim-pw-2");
        assertThat(positions).isGreaterThanOrEqualTo(500);
        assertThat(undetected).as("flips that went unnoticed").isEmpty();
    }

    @Test
    void aRecordCopiedOverAnotherSecrets_isDetected() throws IOException {
        Path victim = recordFile("app/victim");
        Path other = recordFile("app/other");
        byte[] theirs = Files.readAllBytes(other);
        // Give the copied record the victim's file name, as an attacker with file access would.
        Files.write(victim, theirs);

        assertThat(catchThrowable(() -> client.getSecretValue("app/victim"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/victim");
        assertThat(client.getSecretValue("app/other").text()).isEqualTo("other-value");
    }

    @Test
    void swappingTwoSecretsEncryptedValues_isDetected() throws IOException {
        Path a = recordFile("app/bystander");
        Path b = recordFile("app/other");
        byte[][] swapped = swapVersionCiphertexts(Files.readAllBytes(a), Files.readAllBytes(b));
        Files.write(a, swapped[0]);
        Files.write(b, swapped[1]);

        assertThat(catchThrowable(() -> client.getSecretValue("app/bystander"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/bystander");
        assertThat(catchThrowable(() -> client.getSecretValue("app/other"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/other");
        assertThat(client.getSecretValue("app/victim").field("password")).isEqualTo("victim-pw-2");
    }

    @Test
    void aDamagedKeyring_failsReadsWithAnErrorAndNeverPlaintext() throws IOException {
        Path keyring = onlyFile(store.resolve("keys/default"));
        byte[] original = Files.readAllBytes(keyring);
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            int pos = random.nextInt(original.length);
            byte[] flipped = original.clone();
            flipped[pos] ^= (byte) (1 + random.nextInt(255));
            Files.write(keyring, flipped);
            SecretsClient fresh = SecretsClient.builder()
                    .config(SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false)
                            .build()).store(new FileObjectStore(store)).masterKey("default", KEY).build();
            Throwable t = catchThrowable(() -> fresh.getSecretValue("app/other"));
            if (t == null) {
                assertThat(fresh.getSecretValue("app/other").text()).isEqualTo("other-value");
            } else {
                assertThat(t).as("byte %d", pos).isInstanceOf(SecretsException.class);
            }
            fresh.close();
        }
        Files.write(keyring, original);
    }

    /** Swaps the first version's ciphertext, nonce and wrapped key between two records, leaving all else as it was. */
    private static byte[][] swapVersionCiphertexts(byte[] a, byte[] b) throws IOException {
        String[] la = new String(a, StandardCharsets.UTF_8).split("\n", 3);
        String[] lb = new String(b, StandardCharsets.UTF_8).split("\n", 3);
        ObjectNode ra = (ObjectNode) JSON.readTree(la[2]);
        ObjectNode rb = (ObjectNode) JSON.readTree(lb[2]);
        ObjectNode va = (ObjectNode) ra.get("versions").get(0);
        ObjectNode vb = (ObjectNode) rb.get("versions").get(0);
        for (String f : List.of("ciphertext", "nonce", "wrappedKey")) {
            JsonNode t = va.get(f);
            va.set(f, vb.get(f));
            vb.set(f, t);
        }
        return new byte[][] {
            (la[0] + "\n" + la[1] + "\n" + JSON.writeValueAsString(ra)).getBytes(StandardCharsets.UTF_8),
            (lb[0] + "\n" + lb[1] + "\n" + JSON.writeValueAsString(rb)).getBytes(StandardCharsets.UTF_8)};
    }

    private Path recordFile(String id) throws IOException {
        return onlyFile(store.resolve("secrets").resolve(id));
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> gens = s.filter(p -> p.getFileName().toString().matches("~[0-9a-f]{16}")).collect(Collectors.toList());
            assertThat(gens).as("generations in %s", dir).hasSize(1);
            return gens.get(0);
        }
    }

    private static String context(byte[] b, int pos) {
        int from = Math.max(0, pos - 12);
        int to = Math.min(b.length, pos + 12);
        return new String(b, from, pos - from, StandardCharsets.UTF_8) + "[" + (char) b[pos] + "]"
                + new String(b, pos + 1, to - pos - 1, StandardCharsets.UTF_8);
    }
}
