package dev.secrets.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.KeyVersionRetiredException;
import dev.secrets.MasterKeyDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsException;
import dev.secrets.audit.KeepingAuditSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys retire}: after rotate and rewrap the old version is retired and everything still
 * reads; a retired version's material is gone from the keyring; a value left under a retired
 * version fails naming the secret while every other secret, its description and the store stay as
 * they were; retiring is refused while values are under the version (unless forced) and for the
 * primary version.
 */
class RetireTest {
    @TempDir
    Path dir;

    @Test
    void retireAfterRewrap_everythingStillReads() throws Exception {
        Path store = dir.resolve("store");
        String root = KeyFixtures.newKeyFile(dir.resolve("k"));
        KeepingAuditSink audit = new KeepingAuditSink();
        try (SecretsClient c = KeyFixtures.client(store, root, Map.of(), audit)) {
            c.createSecret(CreateSecretRequest.of("a", SecretKind.GENERIC, SecretValue.ofText("a1")));
            c.createSecret(CreateSecretRequest.of("b", SecretKind.GENERIC, SecretValue.ofText("b1")));
            c.rotateMasterKey("default");
            assertThatThrownBy(() -> c.retireKeyVersion("default", 1, false)).isInstanceOf(SecretsException.class)
                    .hasMessageContaining("2 secret(s) still have values under version 1").hasMessageContaining("secrets rewrap");
            assertThat(c.rewrap("default", null)).isEqualTo(2);
            MasterKeyDescription d = c.retireKeyVersion("default", 1, false);
            assertThat(d.versions()).extracting(MasterKeyDescription.Version::state)
                    .containsExactly(MasterKeyDescription.State.RETIRED, MasterKeyDescription.State.PRIMARY);
            assertThat(d.versions().get(0).retired()).isNotNull();
        }
        try (SecretsClient c = KeyFixtures.client(store, root, Map.of())) {
            assertThat(c.getSecretValue("a").text()).isEqualTo("a1");
            assertThat(c.getSecretValue("b").text()).isEqualTo("b1");
            assertThatThrownBy(() -> c.retireKeyVersion("default", 2, true)).isInstanceOf(SecretsException.class)
                    .hasMessageContaining("is the primary version");
        }
        assertThat(audit.events).filteredOn(e -> e.action().equals("key.retire")).extracting(e -> e.outcome() + " " + e.versionId())
                .containsExactly("failure 1", "success 1");
    }

    @Test
    void valueLeftUnderARetiredVersion_failsNamingTheSecret_andNothingElseChanges() throws Exception {
        Path store = dir.resolve("store");
        String root = KeyFixtures.newKeyFile(dir.resolve("k"));
        try (SecretsClient c = KeyFixtures.client(store, root, Map.of())) {
            c.createSecret(CreateSecretRequest.of("left/behind", SecretKind.GENERIC, SecretValue.ofText("old")));
            c.rotateMasterKey("default");
            c.createSecret(CreateSecretRequest.of("moved/on", SecretKind.GENERIC, SecretValue.ofText("new")));
            byte[] recordBefore = Files.readAllBytes(onlyGeneration(store.resolve("secrets/left/behind")));

            c.retireKeyVersion("default", 1, true);

            assertThatThrownBy(() -> c.getSecretValue("left/behind")).isInstanceOf(KeyVersionRetiredException.class)
                    .hasMessageContaining("secret 'left/behind'").hasMessageContaining("master key version 1")
                    .hasMessageContaining("retired");
            assertThat(c.getSecretValue("moved/on").text()).isEqualTo("new");
            assertThat(c.describeSecret("left/behind").versions()).hasSize(1);
            assertThat(Files.readAllBytes(onlyGeneration(store.resolve("secrets/left/behind")))).isEqualTo(recordBefore);
            // A new value can still be written over it, under the primary version.
            c.putSecretValue("left/behind", SecretValue.ofText("rewritten"));
            assertThat(c.getSecretValue("left/behind").text()).isEqualTo("rewritten");
        }
    }

    private static Path onlyGeneration(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().startsWith("~")).reduce((a, b) -> {
                throw new AssertionError("more than one generation in " + d);
            }).orElseThrow();
        }
    }
}
