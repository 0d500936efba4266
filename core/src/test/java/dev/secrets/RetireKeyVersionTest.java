package dev.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.audit.KeepingAuditSink;
import dev.secrets.spi.AuditSink;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.KeyFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys retire}: after rotate and rewrap the old version is retired and everything still
 * reads; a retired version's material is gone from the keyring; a value left under a retired
 * version fails naming the secret while every other secret, its description and the store stay as
 * they were; retiring is refused while values are under the version (unless forced) and for the
 * primary version. The master key's root is a key file; the store is in memory, shared by the
 * clients of a test as by processes.
 */
class RetireKeyVersionTest {
    @TempDir
    Path dir;
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    private SecretsClient client(String keyUri, AuditSink... sinks) {
        SecretsClient.Builder b = SecretsClient.builder().config(IsolatedConfig.get()).store(store).masterKey("default", keyUri)
                .cacheTtl(Duration.ZERO);
        for (AuditSink sink : sinks) {
            b.auditSink(sink);
        }
        return b.build();
    }


    @Test
    void retireAfterRewrap_everythingStillReads() throws Exception {
        String root = KeyFiles.newRandom(dir.resolve("k"));
        KeepingAuditSink audit = new KeepingAuditSink();
        try (SecretsClient c = client(root, audit)) {
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
        try (SecretsClient c = client(root)) {
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
        String root = KeyFiles.newRandom(dir.resolve("k"));
        try (SecretsClient c = client(root)) {
            c.createSecret(CreateSecretRequest.of("left/behind", SecretKind.GENERIC, SecretValue.ofText("old")));
            c.rotateMasterKey("default");
            c.createSecret(CreateSecretRequest.of("moved/on", SecretKind.GENERIC, SecretValue.ofText("new")));
            byte[] recordBefore = store.get(onlyGeneration("secrets/left/behind/")).orElseThrow();

            c.retireKeyVersion("default", 1, true);

            assertThatThrownBy(() -> c.getSecretValue("left/behind")).isInstanceOf(KeyVersionRetiredException.class)
                    .hasMessageContaining("secret 'left/behind'").hasMessageContaining("master key version 1")
                    .hasMessageContaining("retired");
            assertThat(c.getSecretValue("moved/on").text()).isEqualTo("new");
            assertThat(c.describeSecret("left/behind").versions()).hasSize(1);
            assertThat(store.get(onlyGeneration("secrets/left/behind/")).orElseThrow()).isEqualTo(recordBefore);
            // A new value can still be written over it, under the primary version.
            c.putSecretValue("left/behind", SecretValue.ofText("rewritten"));
            assertThat(c.getSecretValue("left/behind").text()).isEqualTo("rewritten");
        }
    }

    private String onlyGeneration(String prefix) {
        List<String> gens = store.keys().stream().filter(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0
                && k.startsWith("~", prefix.length())).toList();
        if (gens.size() > 1) {
            throw new AssertionError("more than one generation in " + prefix);
        }
        return gens.get(0);
    }
}
