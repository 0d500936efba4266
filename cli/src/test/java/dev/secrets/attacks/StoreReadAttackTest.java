package dev.secrets.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.CreateSecretRequest;
import dev.secrets.ListSecretsRequest;
import dev.secrets.MissingMasterKeyException;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacker: read access to the store, no root key (docs/security.md, attacker 2), on the real file
 * store and on s3proxy. Not a finding of the review: this pins down what such an attacker gets
 * (metadata) and does not get (values, data keys, roots) so that a change cannot quietly widen it.
 */
class StoreReadAttackTest {
    private static final String CANARY = "read-attack-canary-Lk2v";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void everyObjectOfTheStore_holdsNoValueAndNoKey_andAClientWithoutTheKeySeesOnlyMetadata(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] root = new byte[32];
            new SecureRandom().nextBytes(root);
            SecretsClient owner = store.client(Map.of("default", root));
            owner.createSecret(CreateSecretRequest.of("app/db", SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", "app", "password", CANARY))).withTag("team", "payments"));
            owner.createSecret(CreateSecretRequest.of("app/token", SecretKind.GENERIC, SecretValue.ofText(CANARY + "-token")));
            owner.rotateMasterKey("default");
            owner.putSecretValue("app/token", SecretValue.ofText(CANARY + "-token-2"));

            String[] forbidden = {CANARY, Base64.getEncoder().encodeToString(root), HexFormat.of().formatHex(root),
                    new String(root, StandardCharsets.ISO_8859_1)};
            String after = null;
            int objects = 0;
            while (true) {
                var page = store.raw().list("", after, 1000);
                for (String k : page.keys()) {
                    String bytes = new String(store.raw().get(k).orElseThrow(), StandardCharsets.ISO_8859_1);
                    for (String f : forbidden) {
                        assertThat(bytes).as("object " + k).doesNotContain(f);
                    }
                    objects++;
                }
                if (!page.truncated()) {
                    break;
                }
                after = page.keys().get(page.keys().size() - 1);
            }
            assertThat(objects).isGreaterThanOrEqualTo(4);

            SecretsClient reader = store.client(Map.of("other", new byte[32]));
            assertThat(reader.listSecrets(ListSecretsRequest.all()).items()).extracting(d -> d.id().value() + " " + d.tags())
                    .containsExactly("app/db {team=payments}", "app/token {}");
            assertThatThrownBy(() -> reader.getSecretValue("app/db")).isInstanceOf(MissingMasterKeyException.class)
                    .hasMessageContaining("'default'").hasMessageNotContaining(CANARY);
        }
    }

    // ------------------------------------------------------------------ key hygiene (finding 8)

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void keyringHeader_holdsNoValueComputedWithTheRootItself(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] root = new byte[32];
            new SecureRandom().nextBytes(root);
            String storeId = store.client(Map.of("default", root)).initialize("default");
            byte[] object = store.raw().get(store.latest("keys/default")).orElseThrow();
            String text = new String(object, StandardCharsets.ISO_8859_1);
            JsonNode header = JSON.readTree(text.split("\n")[1]);
            assertThat(header.get("format").asInt()).isEqualTo(3);
            // Format 1 (and this code before HKDF) put HMAC(root, label) here: an offline check of a guessed root with the root as HMAC key,
            // the same root that was also the keyring's AES key.
            byte[] rootAsHmacKey = Arrays.copyOf(hmac(root, "secrets/key-check/v1\0" + storeId + "\0default"), 16);
            assertThat(header.get("check").binaryValue()).isNotEqualTo(rootAsHmacKey);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void keyringWrittenBeforeHkdf_format1_isStillRead_andMovesToFormat3OnTheNextKeyringWrite(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] root = new byte[32];
            new SecureRandom().nextBytes(root);
            String storeId = store.client(Map.of("default", root)).initialize("default");
            String gen1 = store.latest("keys/default");
            String frame1 = new String(store.raw().get(gen1).orElseThrow(), StandardCharsets.US_ASCII).split("\n")[0];
            byte[] lineage1 = Base64.getDecoder().decode(JSON.readTree(frame1).get("l").asText());

            // The keyring as the code before HKDF wrote it: the root itself as AES key and as HMAC key.
            byte[] material = new byte[32];
            new SecureRandom().nextBytes(material);
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            ObjectNode header = JSON.createObjectNode();
            header.put("format", 1);
            header.put("name", "default");
            header.put("check", Arrays.copyOf(hmac(root, "secrets/key-check/v1\0" + storeId + "\0default"), 16));
            header.put("nonce", nonce);
            byte[] headerBytes = JSON.writeValueAsBytes(header);
            ObjectNode body = JSON.createObjectNode();
            body.put("primary", 1);
            ObjectNode v = body.putArray("versions").addObject();
            v.put("version", 1);
            v.put("created", "2026-01-01T00:00:00Z");
            v.put("material", material);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(root, "AES"), new GCMParameterSpec(128, nonce));
            ByteArrayOutputStream aad = new ByteArrayOutputStream();
            aad.write(headerBytes);
            aad.write(("\0secrets/keyring/v1\0" + storeId).getBytes(StandardCharsets.UTF_8));
            aes.updateAAD(aad.toByteArray());
            byte[] ct = aes.doFinal(JSON.writeValueAsBytes(body));
            byte[] lineage = Arrays.copyOf(lineage1, lineage1.length + 8);
            new SecureRandom().nextBytes(material); // any 8 bytes will do as this write's ID
            System.arraycopy(material, 0, lineage, lineage1.length, 8);
            CRC32C crc = new CRC32C();
            crc.update(lineage);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(("{\"g\":2,\"l\":\"" + Base64.getEncoder().encodeToString(lineage) + "\",\"c\":\""
                    + String.format("%08x", crc.getValue()) + "\"}\n").getBytes(StandardCharsets.US_ASCII));
            out.write(headerBytes);
            out.write('\n');
            out.write(ct);
            store.raw().delete(gen1);
            assertThat(store.raw().putIfAbsent(AttackStore.next(gen1), out.toByteArray())).isTrue();

            SecretsClient old = store.client(Map.of("default", root));
            old.createSecret(CreateSecretRequest.of("app/old", SecretKind.GENERIC, SecretValue.ofText(CANARY)));
            assertThat(store.client(Map.of("default", root)).getSecretValue("app/old").value().text()).isEqualTo(CANARY);

            old.rotateMasterKey("default");
            String latest = new String(store.raw().get(store.latest("keys/default")).orElseThrow(), StandardCharsets.ISO_8859_1);
            assertThat(JSON.readTree(latest.split("\n")[1]).get("format").asInt()).isEqualTo(3);
            assertThat(store.client(Map.of("default", root)).getSecretValue("app/old").value().text()).isEqualTo(CANARY);
        }
    }
}
