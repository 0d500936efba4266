package dev.secrets.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.CreateSecretRequest;
import dev.secrets.ListSecretsRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretTamperedException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.spi.ObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacker: write access to the store, no root key (docs/security.md, attacker 1), on the real
 * file store and on s3proxy. Each test plants what such an attacker can plant and asserts that the
 * reader fails with a clear error, that nothing stored changes, and that every other secret still
 * works.
 */
class StoreWriteAttackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANARY = "write-attack-canary-Zk3";

    @TempDir
    Path tmp;

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static void create(SecretsClient c, String id, String password) {
        c.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, SecretValue.ofFields(Map.of("username", "app", "password", password))));
    }

    // ------------------------------------------------------------------ unbounded input (finding 7)

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void objectLargerThan16MiB_asTheNewestGeneration_isRefusedAsDamaged_andOtherSecretsStillWork(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] k = key();
            SecretsClient owner = store.client(Map.of("default", k));
            create(owner, "app/db", CANARY);
            create(owner, "app/other", CANARY + "-2");
            String planted = AttackStore.next(store.latest("secrets/app/db"));
            assertThat(store.raw().putIfAbsent(planted, new byte[ObjectStore.MAX_OBJECT_BYTES + 1])).isTrue();
            Map<String, String> before = store.snapshot();

            SecretsClient reader = store.client(Map.of("default", k));
            assertThatThrownBy(() -> reader.getSecretValue("app/db"))
                    .isInstanceOf(SecretTamperedException.class)
                    .hasMessageContaining("'app/db'")
                    .hasMessageContaining("16777217 bytes")
                    .hasMessageContaining("more than the 16777216");
            assertThat(reader.getSecretValue("app/other").value().field("password")).isEqualTo(CANARY + "-2");
            assertThat(reader.listSecrets(ListSecretsRequest.all()).items()).extracting(d -> d.id().value()).contains("app/other");
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void symbolicLinkToDevZero_inTheFileStore_isRefusedAtOnce() throws Exception {
        try (AttackStore store = AttackStore.of("file", tmp)) {
            byte[] k = key();
            create(store.client(Map.of("default", k)), "app/db", CANARY);
            Path newest = store.dir().resolve(store.latest("secrets/app/db"));
            Files.delete(newest);
            Files.createSymbolicLink(newest, Path.of("/dev/zero"));

            SecretsClient reader = store.client(Map.of("default", k));
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> reader.getSecretValue("app/db"))
                            .isInstanceOf(SecretTamperedException.class)
                            .hasMessageContaining("'app/db'")
                            .hasMessageContaining("symbolic link"));
            assertThat(Files.isSymbolicLink(newest)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void keyringHeaderAskingForA2TiBArgon2Cost_isRefusedBeforeAnyDerivation(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            Map<String, String> env = Map.of("TEAM_PASSPHRASE", "correct horse battery staple 42");
            SecretsClient owner = store.build(store.builder().masterKey("default", "passphrase-env:TEAM_PASSPHRASE").environment(env::get));
            create(owner, "app/db", CANARY);
            String keyring = store.latest("keys/default");
            byte[] bytes = store.raw().get(keyring).orElseThrow();
            store.raw().putIfAbsent(AttackStore.next(keyring), withArgon2Memory(bytes, Integer.MAX_VALUE));
            Map<String, String> before = store.snapshot();

            SecretsClient reader = store.build(store.builder().masterKey("default", "passphrase-env:TEAM_PASSPHRASE").environment(env::get));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> reader.getSecretValue("app/db"))
                            .isInstanceOf(SecretTamperedException.class)
                            .hasMessageContaining("keyring of master key 'default'")
                            .hasMessageContaining("above the accepted maximum"));
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    /** The keyring object with its header's Argon2 memory set to {@code kib}, framed as the next generation. */
    private static byte[] withArgon2Memory(byte[] object, int kib) throws Exception {
        int frameEnd = indexOf(object, 0);
        int headerEnd = indexOf(object, frameEnd + 1);
        String frame = new String(object, 0, frameEnd, StandardCharsets.US_ASCII);
        long g = Long.parseLong(frame.substring(5, frame.indexOf(',')));
        String nextFrame = "{\"g\":" + (g + 1) + frame.substring(frame.indexOf(','));
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(object, frameEnd + 1, headerEnd));
        ((ObjectNode) header.get("kdf")).put("memoryKiB", kib);
        byte[] h = JSON.writeValueAsBytes(header);
        byte[] f = nextFrame.getBytes(StandardCharsets.US_ASCII);
        byte[] rest = Arrays.copyOfRange(object, headerEnd, object.length);
        byte[] out = new byte[f.length + 1 + h.length + rest.length];
        System.arraycopy(f, 0, out, 0, f.length);
        out[f.length] = '\n';
        System.arraycopy(h, 0, out, f.length + 1, h.length);
        System.arraycopy(rest, 0, out, f.length + 1 + h.length, rest.length);
        return out;
    }

    private static int indexOf(byte[] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no newline");
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void recordPlantedUnderAnInvalidId_isSkipped_byListRunDuePurgeRewrapAndHealth(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] k = key();
            SecretsClient owner = store.client(Map.of("default", k, "other", key()));
            create(owner, "app/db", CANARY);
            owner.createSecret(CreateSecretRequest.of("team/x", SecretKind.GENERIC, SecretValue.ofText("t")).withKeyName("other"));
            // A well-formed record of a key the reader does not hold (its metadata is read unverified),
            // renamed to an ID that the rules refuse.
            String source = store.latest("secrets/team/x");
            String text = new String(store.raw().get(source).orElseThrow(), StandardCharsets.ISO_8859_1)
                    .replace("\"id\":\"team/x\"", "\"id\":\"team/x y\"");
            assertThat(store.raw().putIfAbsent("secrets/team/x y/" + source.substring(source.lastIndexOf('~')),
                    text.getBytes(StandardCharsets.ISO_8859_1))).isTrue();
            Map<String, String> before = store.snapshot();

            SecretsClient reader = store.client(Map.of("default", k));
            assertThat(reader.listSecrets(ListSecretsRequest.all()).items()).extracting(d -> d.id().value())
                    .containsExactly("app/db", "team/x");
            assertThat(reader.runDueRotations()).isEmpty();
            assertThat(reader.purgeExpired()).isZero();
            assertThat(reader.rewrap("default", null)).isZero();
            assertThat(reader.rotationStatus()).isEmpty();
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    // ------------------------------------------------------------------ key pinning (finding 2)

    /** The attacker, holding the shared key {@code default}, replaces the secret with a record of their own under it. */
    private static void replaceUnderSharedKey(AttackStore store, byte[] shared, String id, String value, int writes) {
        for (String k : store.raw().list("secrets/" + id + "/~", null, 1000).keys()) {
            store.raw().delete(k);
        }
        SecretsClient attacker = store.client(Map.of("default", shared));
        attacker.createSecret(CreateSecretRequest.of(id, SecretKind.GENERIC, SecretValue.ofText(value)));
        for (int i = 1; i < writes; i++) {
            attacker.putSecretValue(id, SecretValue.ofText(value + i));
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void recordReplacedUnderASharedKey_isRefused_byAReaderThatBindsThePrefix(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] shared = key();
            byte[] payments = key();
            store.client(Map.of("default", shared, "payments", payments)).createSecret(
                    CreateSecretRequest.of("payments/stripe", SecretKind.GENERIC, SecretValue.ofText(CANARY)).withKeyName("payments"));
            replaceUnderSharedKey(store, shared, "payments/stripe", "attacker-chosen", 1);
            Map<String, String> before = store.snapshot();

            SecretsClient reader = store.build(store.builder().masterKey("default", shared).masterKey("payments", payments)
                    .config(IsolatedConfig.builder().set("secrets.keys.payments.prefixes", "payments/").build()));
            assertThatThrownBy(() -> reader.getSecretValue("payments/stripe"))
                    .isInstanceOf(SecretTamperedException.class)
                    .hasMessageContaining("secret 'payments/stripe' is stored under master key 'default'")
                    .hasMessageContaining("binds it to master key 'payments'")
                    .hasMessageNotContaining("attacker-chosen");
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void recordReplacedUnderASharedKey_isRefused_byAReaderThatVerifiedItUnderItsOwnKey(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] shared = key();
            byte[] payments = key();
            store.client(Map.of("default", shared, "payments", payments)).createSecret(
                    CreateSecretRequest.of("payments/stripe", SecretKind.GENERIC, SecretValue.ofText(CANARY)).withKeyName("payments"));
            SecretsClient reader = store.client(Map.of("default", shared, "payments", payments));
            assertThat(reader.refresh("payments/stripe").value().text()).isEqualTo(CANARY);
            replaceUnderSharedKey(store, shared, "payments/stripe", "attacker-chosen", 3); // a higher generation than the real one

            assertThatThrownBy(() -> reader.refresh("payments/stripe"))
                    .isInstanceOf(SecretTamperedException.class)
                    .hasMessageContaining("last verified it under master key 'payments'")
                    .hasMessageNotContaining("attacker-chosen");
        }
    }

    // ------------------------------------------------------------------ rollback (finding 4)

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void olderGenerationRestored_afterNewerOnesAreDeleted_isRefusedByAReaderThatSawTheNewer(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] k = key();
            SecretsClient owner = store.client(Map.of("default", k));
            create(owner, "app/db", CANARY + "-revoked");
            String oldKey = store.latest("secrets/app/db");
            byte[] old = store.raw().get(oldKey).orElseThrow(); // kept by S3 versioning, or copied by the attacker
            owner.putSecretValue("app/db", SecretValue.ofFields(Map.of("username", "app", "password", CANARY + "-current")));
            SecretsClient reader = store.client(Map.of("default", k));
            assertThat(reader.refresh("app/db").value().field("password")).isEqualTo(CANARY + "-current");

            for (String g : store.raw().list("secrets/app/db/~", null, 1000).keys()) {
                store.raw().delete(g);
            }
            assertThat(store.raw().putIfAbsent(oldKey, old)).isTrue();
            Map<String, String> before = store.snapshot();

            assertThatThrownBy(() -> reader.refresh("app/db"))
                    .isInstanceOf(dev.secrets.SecretRolledBackException.class)
                    .hasMessageContaining("secret 'app/db' was rolled back")
                    .hasMessageContaining("latest generation is 1, but this client already verified generation 2")
                    .hasMessageNotContaining(CANARY);
            assertThat(store.snapshot()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("dev.secrets.attacks.AttackStore#kinds")
    void storeKeptFailing_servesAStaleValueFor24HoursAtMost(String kind) throws Exception {
        try (AttackStore store = AttackStore.of(kind, tmp)) {
            byte[] k = key();
            create(store.client(Map.of("default", k)), "app/db", CANARY);
            java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
            SecretsClient reader = store.build(store.builder().masterKey("default", k).ticker(nanos::get).cacheTtl(Duration.ofMinutes(1)));
            assertThat(reader.getSecretValue("app/db").value().field("password")).isEqualTo(CANARY);

            store.breakStore();
            nanos.addAndGet(Duration.ofHours(23).toNanos());
            assertThat(reader.getSecretValue("app/db").value().field("password")).as("stale within the bound").isEqualTo(CANARY);
            nanos.addAndGet(Duration.ofHours(2).toNanos());
            assertThatThrownBy(() -> reader.getSecretValue("app/db")).isInstanceOf(dev.secrets.StoreUnavailableException.class)
                    .hasMessageNotContaining(CANARY);
        }
    }
}
