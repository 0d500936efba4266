package dev.secrets.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.MasterKeyDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.WrongMasterKeyException;
import dev.secrets.audit.KeepingAuditSink;
import dev.secrets.spi.AuditEvent;
import dev.secrets.testing.KeyFiles;
import dev.secrets.testing.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys rekey}: a master key moves from a file root to an HSM root and back; afterwards every
 * value reads with the new root, the old root opens nothing left in the store (the keyring's only
 * object is under the new root), and each rekey is in the audit trail.
 */
class RekeyTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tokens() {
        SoftHsm.start();
    }

    @Test
    void fileToHsmAndBack_oldRootOpensNothing() throws Exception {
        Path store = dir.resolve("store");
        String fileRoot = KeyFiles.newRandom(dir.resolve("a.key"));
        String hsmRoot = Pkcs11RootTest.newKey(SoftHsm.TOKEN, "rekey-target");
        Map<String, String> values = new LinkedHashMap<>();
        KeepingAuditSink audit = new KeepingAuditSink();
        try (SecretsClient c = KeyFixtures.client(store, fileRoot, SoftHsm.environment(), audit)) {
            for (int i = 0; i < 4; i++) {
                c.createSecret(CreateSecretRequest.of("app/s" + i, SecretKind.GENERIC, SecretValue.ofText("v" + i)));
                values.put("app/s" + i, "v" + i);
            }
            c.rotateMasterKey("default");
            c.putSecretValue("app/s0", SecretValue.ofText("v0-after-rotation"));
            values.put("app/s0", "v0-after-rotation");

            assertThat(c.rekey("default", hsmRoot)).isEqualTo(2);
            // This client goes on with the new root.
            assertThat(c.getSecretValue("app/s1").text()).isEqualTo("v1");
            assertThat(c.describeMasterKey("default").provider()).isEqualTo("pkcs11");
        }
        assertThat(audit.events).filteredOn(e -> e.action().equals("key.rekey"))
                .singleElement().satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
                    assertThat(e.keyName()).isEqualTo("default");
                });
        assertReadable(store, hsmRoot, SoftHsm.environment(), values);
        assertOldRootOpensNothing(store, fileRoot, Map.of(), "pkcs11");

        String freshFileRoot = KeyFiles.newRandom(dir.resolve("b.key"));
        try (SecretsClient c = KeyFixtures.client(store, hsmRoot, SoftHsm.environment())) {
            assertThat(c.rekey("default", freshFileRoot)).isEqualTo(2);
        }
        assertReadable(store, freshFileRoot, Map.of(), values);
        assertOldRootOpensNothing(store, hsmRoot, SoftHsm.environment(), "file");
        assertOldRootOpensNothing(store, fileRoot, Map.of(), "file");
        try (SecretsClient c = KeyFixtures.client(store, freshFileRoot, Map.of())) {
            assertThat(c.describeMasterKey("default").versions()).extracting(MasterKeyDescription.Version::state)
                    .containsExactly(MasterKeyDescription.State.ACTIVE, MasterKeyDescription.State.PRIMARY);
        }
    }

    @Test
    void rekeyWithNeitherRoot_isAWrongMasterKeyAndChangesNothing() throws Exception {
        Path store = dir.resolve("store");
        String a = KeyFiles.newRandom(dir.resolve("a.key"));
        try (SecretsClient c = KeyFixtures.client(store, a, Map.of())) {
            c.createSecret(CreateSecretRequest.of("x", SecretKind.GENERIC, SecretValue.ofText("x")));
        }
        byte[] before = Files.readAllBytes(onlyKeyringObject(store));
        String b = KeyFiles.newRandom(dir.resolve("b.key"));
        String c2 = KeyFiles.newRandom(dir.resolve("c.key"));
        try (SecretsClient c = KeyFixtures.client(store, b, Map.of())) {
            assertThatThrownBy(() -> c.rekey("default", c2)).isInstanceOf(WrongMasterKeyException.class);
        }
        assertThat(Files.readAllBytes(onlyKeyringObject(store))).isEqualTo(before);
    }

    static void assertReadable(Path store, String root, Map<String, String> env, Map<String, String> values) {
        try (SecretsClient c = KeyFixtures.client(store, root, env)) {
            values.forEach((id, v) -> assertThat(c.getSecretValue(id).text()).as(id).isEqualTo(v));
        }
    }

    /** The keyring has one object, under {@code scheme}; a client with {@code oldRoot} reads no secret. */
    static void assertOldRootOpensNothing(Path store, String oldRoot, Map<String, String> env, String scheme) throws Exception {
        String header = new String(Files.readAllBytes(onlyKeyringObject(store)), StandardCharsets.ISO_8859_1).lines().skip(1)
                .findFirst().orElseThrow();
        assertThat(header).contains("\"root\":\"" + scheme + "\"");
        try (SecretsClient c = KeyFixtures.client(store, oldRoot, env)) {
            for (String id : List.of("app/s0", "app/s1", "app/s2", "app/s3")) {
                if (Files.isDirectory(store.resolve("secrets/" + id))) {
                    assertThatThrownBy(() -> c.getSecretValue(id)).isInstanceOf(WrongMasterKeyException.class);
                }
            }
        }
    }

    static Path onlyKeyringObject(Path store) throws Exception {
        try (Stream<Path> s = Files.list(store.resolve("keys/default"))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("~")).toList();
            assertThat(files).as("keyring generations").hasSize(1);
            return files.get(0);
        }
    }
}
