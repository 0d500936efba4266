package dev.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.secrets.spi.AuditEvent;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operation of a client on an in-memory store (the store does not matter here: the file and S3 stores are checked by the client contract), seen by every kind of sink. */
class AuditEventsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-05-01T08:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** What an event says, without its time. */
    record Seen(String action, String secretId, String versionId, String outcome, String errorClass, String keyName) {
        static Seen of(AuditEvent e) {
            return new Seen(e.action(), e.secretId(), e.versionId(), e.outcome(), e.errorClass(), e.keyName());
        }

        static Seen of(JsonNode n) {
            return new Seen(text(n, "action"), text(n, "secretId"), text(n, "versionId"), text(n, "outcome"), text(n, "errorClass"),
                    text(n, "keyName"));
        }

        private static String text(JsonNode n, String f) {
            return n.has(f) ? n.get(f).asText() : null;
        }
    }

    private static Seen ok(String action, String secretId, String versionId) {
        return new Seen(action, secretId, versionId, AuditEvent.SUCCESS, null, null);
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void everyOperation_emitsExactlyItsEvents_toEverySink_andNoValueEverAppears() throws Exception {
        String canary = "CANARY-" + UUID.randomUUID();
        String canary2 = "CANARY2-" + UUID.randomUUID();
        Path log = dir.resolve("audit/audit.log");
        HandClock clock = new HandClock();
        KeepingAuditSink kept = new KeepingAuditSink();
        KeepingLogger logger = new KeepingLogger();
        SecretsConfig cfg = IsolatedConfig.builder()
                .set(SecretsConfig.AUDIT_LOG, log.toString())
                .set(SecretsConfig.AUDIT_CACHED_READS_INTERVAL, "1h").build(); // cached reads are written at close only
        List<Seen> expected = new ArrayList<>();

        try (SecretsClient client = SecretsClient.builder().config(cfg).store(store)
                .masterKey("default", key()).masterKey("payments", key()).principal("billing").clock(clock)
                .auditSink(kept).auditSink(new Slf4jAuditSink(logger)).build()) {
            client.createSecret(CreateSecretRequest.of("app/db", SecretKind.GENERIC, SecretValue.ofText(canary)).withToken("v1"));
            expected.add(ok("secret.create", "app/db", "v1"));
            client.getSecretValue("app/db");
            expected.add(ok("secret.read", "app/db", "v1"));
            client.getSecretValue("app/db"); // from the cache: counted, and written at close (below)
            client.putSecretValue(PutSecretValueRequest.of("app/db", SecretValue.ofText(canary2)).withToken("v2"));
            expected.add(ok("secret.write", "app/db", "v2"));
            client.getSecretValue(GetSecretValueRequest.of("app/db").withLabel(Label.PREVIOUS));
            expected.add(ok("secret.read", "app/db", "v1"));
            client.refresh("app/db");
            expected.add(ok("secret.read", "app/db", "v2"));
            client.moveLabel("app/db", Label.CURRENT, "v1");
            expected.add(ok("label.move", "app/db", "v1"));
            client.removeLabel("app/db", Label.PREVIOUS);
            expected.add(ok("label.remove", "app/db", null));
            client.updateDescription("app/db", "the app's database");
            expected.add(ok("secret.update", "app/db", null));
            client.tagSecret("app/db", Map.of("team", "billing"));
            expected.add(ok("secret.tag", "app/db", null));
            client.untagSecret("app/db", List.of("team"));
            expected.add(ok("secret.untag", "app/db", null));
            client.describeSecret("app/db");
            expected.add(ok("secret.describe", "app/db", null));
            client.listSecrets(ListSecretsRequest.all());
            expected.add(ok("secret.list", null, null));
            client.rotateMasterKey("default");
            expected.add(new Seen("key.rotate", null, null, "success", null, "default"));
            client.rewrap("default", null);
            expected.add(new Seen("key.rewrap", "app/db", null, "success", null, "default"));
            client.moveToKey("app/db", "payments");
            expected.add(new Seen("secret.move-key", "app/db", null, "success", null, "payments"));
            assertThatThrownBy(() -> client.getSecretValue("missing/x")).isInstanceOf(SecretNotFoundException.class);
            expected.add(new Seen("secret.read", "missing/x", null, "failure", "SecretNotFoundException", null));
            client.deleteSecret("app/db", 7);
            expected.add(ok("secret.delete", "app/db", null));
            client.restoreSecret("app/db");
            expected.add(ok("secret.restore", "app/db", null));
            client.createSecret(CreateSecretRequest.of("tmp/a", SecretKind.GENERIC, null));
            expected.add(ok("secret.create", "tmp/a", null));
            client.forceDeleteSecret("tmp/a");
            expected.add(ok("secret.delete.force", "tmp/a", null));
            client.createSecret(CreateSecretRequest.of("old/b", SecretKind.GENERIC, SecretValue.ofText(canary)).withToken("b1"));
            expected.add(ok("secret.create", "old/b", "b1"));
            client.deleteSecret("old/b", 7);
            expected.add(ok("secret.delete", "old/b", null));
            clock.advance(Duration.ofDays(8));
            assertThat(client.purgeExpired()).isEqualTo(1);
            expected.add(ok("secret.purge", "old/b", null));
            client.rotationStatus();
            expected.add(ok("rotation.status", null, null));
        }
        expected.add(ok(AuditEvent.CACHED_READ, "app/db", "v1")); // the cached read, counted and written at close

        assertThat(kept.events.stream().map(Seen::of).toList()).containsExactlyElementsOf(expected);
        assertThat(kept.events).allSatisfy(e -> assertThat(e.principal()).isEqualTo("billing"));
        assertThat(kept.events.get(0).time()).isEqualTo(Instant.parse("2026-05-01T08:00:00Z"));
        AuditEvent cached = kept.events.get(kept.events.size() - 1);
        assertThat(cached.count()).isEqualTo(1);
        assertThat(cached.first()).isNotNull().isBeforeOrEqualTo(cached.time());
        assertThat(kept.events.subList(0, kept.events.size() - 1)).allSatisfy(e -> {
            assertThat(e.count()).isEqualTo(1);
            assertThat(e.first()).isNull();
        });

        List<Seen> inFile = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            inFile.add(Seen.of(JSON.readTree(line)));
        }
        assertThat(inFile).containsExactlyElementsOf(expected);
        AuditLogVerifier.Result verified = AuditLogVerifier.verify(log);
        assertThat(verified.valid()).as(verified.toString()).isTrue();
        assertThat(verified.entries()).isEqualTo(expected.size());

        List<Seen> logged = new ArrayList<>();
        for (String line : logger.lines) {
            logged.add(Seen.of(JSON.readTree(line.substring(line.indexOf(' ') + 1))));
        }
        assertThat(logged).containsExactlyElementsOf(expected);
        assertThat(logger.lines.get(15)).startsWith("WARN ");

        String file = Files.readString(log, StandardCharsets.US_ASCII);
        for (String c : List.of(canary, canary2)) {
            assertThat(file).doesNotContain(c);
            assertThat(String.join("\n", logger.lines)).doesNotContain(c);
            assertThat(kept.events.toString()).doesNotContain(c);
        }
    }
}
