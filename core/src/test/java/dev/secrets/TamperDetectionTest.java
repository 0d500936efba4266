package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tamper detection: any change to the stored bytes of a secret — values, metadata, labels — makes
 * its reads fail with {@link SecretTamperedException} naming it, never returns other plaintext, and
 * leaves every other secret readable. The objects are changed in place, as someone with write access
 * to the store's files or bucket would; the store gives no ETags (as the file store), so every read
 * takes the path that lists again.
 */
class TamperDetectionTest {
    private static final byte[] KEY = "tamper-test-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    InMemoryObjectStore store;
    SecretsClient client;
    /** What each read of the victim returns when nothing was touched. */
    final Map<String, String> expected = new LinkedHashMap<>();

    @BeforeEach
    void populate() {
        store = InMemoryObjectStore.withoutETags();
        client = SecretsClient.builder()
                .config(IsolatedConfig.get())
                .store(store).masterKey("default", KEY).cacheTtl(Duration.ZERO).build();
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
        String record = recordKey("app/victim");
        byte[] original = store.get(record).orElseThrow();
        Random random = new Random(42);
        List<String> undetected = new ArrayList<>();
        int positions = 0;
        for (int pos = 0; pos < original.length; pos++) {
            byte[] flipped = original.clone();
            flipped[pos] ^= (byte) (1 + random.nextInt(255));
            store.overwrite(record, flipped);
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
        store.overwrite(record, original);
        assertThat(client.getSecretValue("app/victim").field("password")).isEqualTo("victim-pw-2");
        assertThat(positions).isGreaterThanOrEqualTo(500);
        assertThat(undetected).as("flips that went unnoticed").isEmpty();
    }

    @Test
    void aRecordCopiedOverAnotherSecrets_isDetected() throws IOException {
        String victim = recordKey("app/victim");
        String other = recordKey("app/other");
        byte[] theirs = store.get(other).orElseThrow();
        // Give the copied record the victim's key, as an attacker with write access to the store would.
        store.overwrite(victim, theirs);

        assertThat(catchThrowable(() -> client.getSecretValue("app/victim"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/victim");
        assertThat(client.getSecretValue("app/other").text()).isEqualTo("other-value");
    }

    @Test
    void swappingTwoSecretsEncryptedValues_isDetected() throws IOException {
        String a = recordKey("app/bystander");
        String b = recordKey("app/other");
        byte[][] swapped = swapVersionCiphertexts(store.get(a).orElseThrow(), store.get(b).orElseThrow());
        store.overwrite(a, swapped[0]);
        store.overwrite(b, swapped[1]);

        assertThat(catchThrowable(() -> client.getSecretValue("app/bystander"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/bystander");
        assertThat(catchThrowable(() -> client.getSecretValue("app/other"))).isInstanceOf(SecretTamperedException.class)
                .hasMessageContaining("app/other");
        assertThat(client.getSecretValue("app/victim").field("password")).isEqualTo("victim-pw-2");
    }

    @Test
    void aDamagedKeyring_failsReadsWithAnErrorAndNeverPlaintext() throws IOException {
        String keyring = onlyGeneration("keys/default/");
        byte[] original = store.get(keyring).orElseThrow();
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            int pos = random.nextInt(original.length);
            byte[] flipped = original.clone();
            flipped[pos] ^= (byte) (1 + random.nextInt(255));
            store.overwrite(keyring, flipped);
            SecretsClient fresh = SecretsClient.builder()
                    .config(IsolatedConfig.get()).store(store).masterKey("default", KEY).build();
            Throwable t = catchThrowable(() -> fresh.getSecretValue("app/other"));
            if (t == null) {
                assertThat(fresh.getSecretValue("app/other").text()).isEqualTo("other-value");
            } else {
                assertThat(t).as("byte %d", pos).isInstanceOf(SecretsException.class);
            }
            fresh.close();
        }
        store.overwrite(keyring, original);
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

    private String recordKey(String id) {
        return onlyGeneration("secrets/" + id + "/");
    }

    /** The key of the one generation object directly under {@code prefix}. */
    private String onlyGeneration(String prefix) {
        List<String> gens = store.keys().stream().filter(k -> k.startsWith(prefix))
                .filter(k -> k.substring(prefix.length()).matches("~[0-9a-f]{16}")).collect(Collectors.toList());
        assertThat(gens).as("generations under %s", prefix).hasSize(1);
        return gens.get(0);
    }

    private static String context(byte[] b, int pos) {
        int from = Math.max(0, pos - 12);
        int to = Math.min(b.length, pos + 12);
        return new String(b, from, pos - from, StandardCharsets.UTF_8) + "[" + (char) b[pos] + "]"
                + new String(b, pos + 1, to - pos - 1, StandardCharsets.UTF_8);
    }
}
