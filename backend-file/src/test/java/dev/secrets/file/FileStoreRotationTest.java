package dev.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.RotationOutcome;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.rotation.PostgresRotator;
import dev.secrets.internal.rotation.RotationEngine;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation of a PostgreSQL password shared by processes through one file store. The two-schedulers
 * test needs no database and is in {@link FileStoreSchedulersTest}, so it runs without PostgreSQL.
 */
@ExtendWith(PostgresServer.class)
class FileStoreRotationTest {
    static final byte[] KEY = new byte[32];
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final PostgresServer postgres;
    private final List<SecretsClient> clients = new ArrayList<>();

    FileStoreRotationTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    private SecretsClient client(Clock clock, FaultInjectingRotator rotator) {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store("file:" + dir.resolve("store")).masterKey("default", KEY)
                .clock(clock).rotator(rotator).build();
        clients.add(c);
        return c;
    }

    @Test
    void aProcessKilledMidRotation_isResumedByAnotherOnceItsLeaseExpires_andDatabaseAndStoreAgree() throws Exception {
        String user = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        postgres.createRole(user, "initial-Password-1", true);
        FaultInjectingRotator rotator = new FaultInjectingRotator("crashing-postgresql", new PostgresRotator());
        SecretsClient setup = client(Clock.systemUTC(), rotator);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", postgres.host());
        f.put("port", postgres.port());
        f.put("dbname", "postgres");
        f.put("username", user);
        f.put("password", "initial-Password-1");
        setup.createSecret(CreateSecretRequest.of("pg/crash", SecretKind.DATABASE, SecretValue.ofFields(f)));
        setup.configureRotation("pg/crash", RotationSettings.of("crashing-postgresql", "rate(30 days)"));
        String before = setup.refresh("pg/crash").versionId();

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RotationCrashChild.class.getName(),
                dir.resolve("store").toString(), "pg/crash", "crashing-postgresql")
                .redirectErrorStream(true).start();
        try {
            CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    StringBuilder seen = new StringBuilder();
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.equals("BLOCKED")) {
                            return line;
                        }
                        seen.append(line).append('\n');
                    }
                    return seen.toString();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            assertThat(blocked.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("BLOCKED");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            child.waitFor(30, TimeUnit.SECONDS);
        }

        // What the killed process left: the database has the PENDING password, the store's CURRENT the old one.
        SecretDescription mid = setup.describeSecret("pg/crash");
        String pendingId = mid.rotation().pendingVersion();
        assertThat(pendingId).isNotNull();
        SecretVersion pending = setup.getSecretValue(GetSecretValueRequest.of("pg/crash").withVersionId(pendingId));
        assertThat(canLogIn(user, pending.field("password"))).isTrue();
        assertThat(canLogIn(user, "initial-Password-1")).isFalse();
        assertThat(setup.refresh("pg/crash").versionId()).isEqualTo(before);

        // Another client, once the dead process's lease has expired, finishes the rotation.
        SecretsClient later = client(Clock.offset(Clock.systemUTC(), RotationEngine.DEFAULT_LEASE.plusMinutes(1)), rotator);
        assertThat(setup.runDueRotations()).isEmpty(); // the lease is still live for a client on the real clock
        List<RotationOutcome> outcomes = later.runDueRotations();

        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).succeeded()).isTrue();
        assertThat(outcomes.get(0).versionId()).isEqualTo(pendingId);
        SecretVersion current = later.refresh("pg/crash");
        assertThat(current.versionId()).isEqualTo(pendingId);
        assertThat(canLogIn(user, current.field("password"))).isTrue();
        SecretDescription after = later.describeSecret("pg/crash");
        assertThat(after.versions()).hasSize(2);
        assertThat(after.versionWith(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo(before);
        assertThat(after.rotation().lastOutcome()).isEqualTo("succeeded");
        assertThat(rotator.calls("createSecret")).isZero(); // the pending value made by the killed process was kept
    }

    private boolean canLogIn(String user, String password) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), user, password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }
}
