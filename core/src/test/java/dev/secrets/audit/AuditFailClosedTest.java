package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.AuditFailedException;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.ListSecretsRequest;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.spi.SecretsMetrics;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the audit log made unwritable, a client that fails closed refuses reads and writes and
 * leaves the store as it was. The log is made unwritable by putting a directory in its place,
 * which stops root too (CI runs as root, where a file mode of 000 stops nothing). The store is the
 * in-memory one: what is checked is core's audit, and "the store as it was" is every object's bytes.
 */
class AuditFailClosedTest {
    @TempDir
    Path dir;
    private InMemoryObjectStore store;
    private Path log;
    private final byte[] defaultKey = new byte[32];
    private final byte[] paymentsKey = new byte[32];

    @BeforeEach
    void keys() {
        new SecureRandom().nextBytes(defaultKey);
        new SecureRandom().nextBytes(paymentsKey);
        store = new InMemoryObjectStore();
        log = dir.resolve("audit.log");
    }

    private SecretsClient client(Map<String, String> settings, SecretsMetrics metrics) {
        SecretsConfig cfg = IsolatedConfig.builder()
                .set(SecretsConfig.AUDIT_LOG, log.toString()).setAll(settings).build();
        return SecretsClient.builder().config(cfg).store(store).masterKey("default", defaultKey)
                .masterKey("payments", paymentsKey).metrics(metrics).build();
    }

    private void breakTheLog() throws IOException {
        Files.delete(log);
        Files.createDirectory(log);
    }

    /** Every object of the store with its bytes. */
    private Map<String, String> snapshot() {
        Map<String, String> objects = new TreeMap<>();
        for (String key : store.keys()) {
            objects.put(key, HexFormat.of().formatHex(store.get(key).orElseThrow()));
        }
        return objects;
    }

    private static void refused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(AuditFailedException.class).hasMessageContaining("audit");
    }

    @Test
    void withTheLogUnwritable_readsAndWritesFailClearly_andTheStoreIsUnchanged() throws IOException {
        try (SecretsClient client = client(Map.of(), SecretsMetrics.NONE)) {
            client.createSecret(CreateSecretRequest.of("app/db", SecretKind.GENERIC, SecretValue.ofText("s3cr3t")).withToken("v1"));
            client.getSecretValue("app/db");
            breakTheLog();
            Map<String, String> before = snapshot();

            assertThatThrownBy(() -> client.refresh("app/db")).isInstanceOf(AuditFailedException.class)
                    .hasMessageContaining("no audit sink could record 'secret.read' of secret 'app/db'")
                    .hasMessageContaining(SecretsConfig.AUDIT_FAIL_CLOSED)
                    .hasMessageContaining(log.toString());
            // The value is cached, but once the log is known to be broken a cached read takes the
            // store path too, whose audit refuses it (cached reads are audited in the background).
            assertThatThrownBy(() -> client.getSecretValue("app/db")).isInstanceOf(AuditFailedException.class)
                    .hasMessageContaining("no audit sink could record 'secret.read' of secret 'app/db'");
            refused(() -> client.getSecretValue(GetSecretValueRequest.of("app/db").withVersionId("v1")));
            assertThatThrownBy(() -> client.putSecretValue("app/db", SecretValue.ofText("n3w")))
                    .isInstanceOf(AuditFailedException.class).hasMessageContaining("nothing was written");
            refused(() -> client.createSecret(CreateSecretRequest.of("app/other", SecretKind.GENERIC, SecretValue.ofText("x"))));
            refused(() -> client.putSecretValue(PutSecretValueRequest.of("app/db", SecretValue.ofText("n3w")).withLabels(Label.PENDING)));
            refused(() -> client.tagSecret("app/db", Map.of("a", "b")));
            refused(() -> client.updateDescription("app/db", "changed"));
            refused(() -> client.deleteSecret("app/db"));
            refused(() -> client.forceDeleteSecret("app/db"));
            refused(() -> client.moveToKey("app/db", "payments"));
            refused(() -> client.rotateMasterKey("default"));
            refused(() -> client.describeSecret("app/db"));
            refused(() -> client.listSecrets(ListSecretsRequest.all()));
            assertThatThrownBy(() -> client.getSecretValue("app/missing")).as("a failed operation keeps its own error")
                    .isInstanceOf(SecretNotFoundException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(AuditFailedException.class));

            assertThat(snapshot()).isEqualTo(before);

            Files.delete(log); // writable again: the client works again
            assertThat(client.getSecretValue("app/db").text()).isEqualTo("s3cr3t");
            client.putSecretValue("app/db", SecretValue.ofText("n3w"));
            assertThat(client.getSecretValue("app/db").text()).isEqualTo("n3w");
            assertThat(AuditLogVerifier.verify(log).entries()).isEqualTo(3);
        }
    }

    @Test
    void withFailClosedOff_operationsGoOn_andTheDroppedEventsAreCounted() throws IOException {
        AtomicInteger dropped = new AtomicInteger();
        SecretsMetrics metrics = new SecretsMetrics() {
            @Override
            public void auditFailure(String action) {
                dropped.incrementAndGet();
            }
        };
        try (SecretsClient client = client(Map.of(SecretsConfig.AUDIT_FAIL_CLOSED, "false"), metrics)) {
            client.createSecret(CreateSecretRequest.of("app/db", SecretKind.GENERIC, SecretValue.ofText("s3cr3t")));
            breakTheLog();

            client.putSecretValue("app/db", SecretValue.ofText("n3w"));
            assertThat(client.getSecretValue("app/db").text()).isEqualTo("n3w");
            assertThat(client.getSecretValue("app/db").text()).isEqualTo("n3w"); // cached: its count is dropped at the latest at close
        }
        assertThat(dropped).hasValue(3);
    }

    @Test
    void aLogThatCannotBeCreated_failsTheFirstWrite_beforeTheStoreIsCreated() throws IOException {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        log = dir.resolve("a-file/audit.log");
        try (SecretsClient client = client(Map.of(), SecretsMetrics.NONE)) {
            refused(() -> client.createSecret(CreateSecretRequest.of("app/db", SecretKind.GENERIC, SecretValue.ofText("x"))));
        }
        assertThat(snapshot()).isEmpty();
    }
}
