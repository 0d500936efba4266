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
import dev.secrets.internal.rotation.MySqlRotator;
import dev.secrets.internal.rotation.RotationEngine;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MariaDbServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JVM killed (SIGKILL) in the middle of a {@code mysql} rotation on a file store, after each of the
 * first three steps, for both strategies: another process resumes it once the lease expires, and
 * the store and the real MariaDB server agree.
 */
@ExtendWith(MariaDbServer.class)
class MySqlRotationCrashTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final MariaDbServer mariaDb;
    private final List<SecretsClient> clients = new ArrayList<>();

    MySqlRotationCrashTest(MariaDbServer mariaDb) {
        this.mariaDb = mariaDb;
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    private SecretsClient client(Clock clock, FaultInjectingRotator rotator) {
        SecretsConfig config = IsolatedConfig.get();
        SecretsClient c = SecretsClient.builder().config(config).store("file:" + dir.resolve("store"))
                .masterKey("default", FileStoreRotationTest.KEY).clock(clock).rotator(rotator).build();
        clients.add(c);
        return c;
    }

    private SecretValue value(String user, String password) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", mariaDb.host());
        f.put("port", mariaDb.port());
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    @ParameterizedTest
    @CsvSource({"single-user,createSecret", "single-user,setSecret", "single-user,testSecret",
            "alternating-users,createSecret", "alternating-users,setSecret", "alternating-users,testSecret"})
    void aJvmKilledAfterAStep_isResumedByAnotherProcess_andStoreAndDatabaseAgree(String strategy, String step) throws Exception {
        String user = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mariaDb.createUser(user, "initial-Password-1");
        FaultInjectingRotator rotator = new FaultInjectingRotator("crashing-mysql", new MySqlRotator());
        SecretsClient setup = client(Clock.systemUTC(), rotator);
        setup.createSecret(CreateSecretRequest.of("my/crash", SecretKind.DATABASE, value(user, "initial-Password-1")));
        RotationSettings settings = RotationSettings.of("crashing-mysql", "rate(30 days)").withParameter("strategy", strategy);
        if (strategy.equals("alternating-users")) {
            String admin = "crashadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            mariaDb.createUser(admin, "admin-Password-1");
            try (Connection c = mariaDb.adminConnection(); Statement s = c.createStatement()) {
                s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%'");
                s.execute("GRANT SELECT ON mysql.* TO '" + admin + "'@'%'");
            }
            setup.createSecret(CreateSecretRequest.of("my/crash-admin", SecretKind.DATABASE, value(admin, "admin-Password-1")));
            settings = settings.withParameter("adminSecretId", "my/crash-admin");
        }
        setup.configureRotation("my/crash", settings);
        SecretVersion before = setup.refresh("my/crash");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RotationCrashChild.class.getName(),
                dir.resolve("store").toString(), "my/crash", "crashing-mysql", "mysql", step)
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

        SecretDescription mid = setup.describeSecret("my/crash");
        String pendingId = mid.rotation().pendingVersion();
        assertThat(pendingId).isNotNull();
        assertThat(setup.refresh("my/crash").versionId()).isEqualTo(before.versionId());
        SecretVersion pending = setup.getSecretValue(GetSecretValueRequest.of("my/crash").withVersionId(pendingId));
        boolean applied = !step.equals("createSecret");
        assertThat(canLogIn(pending)).as("the database has the PENDING password after %s", step).isEqualTo(applied);
        assertThat(canLogIn(before)).as("CURRENT logs in after %s", step)
                .isEqualTo(!applied || strategy.equals("alternating-users"));

        SecretsClient later = client(Clock.offset(Clock.systemUTC(), RotationEngine.DEFAULT_LEASE.plusMinutes(1)), rotator);
        assertThat(setup.runDueRotations()).isEmpty(); // the killed process's lease is still live on the real clock
        List<RotationOutcome> outcomes = later.runDueRotations();

        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).succeeded()).as("%s", outcomes.get(0)).isTrue();
        assertThat(outcomes.get(0).versionId()).isEqualTo(pendingId);
        SecretVersion current = later.refresh("my/crash");
        assertThat(current.versionId()).isEqualTo(pendingId);
        assertThat(current.value()).isEqualTo(pending.value());
        assertThat(canLogIn(current)).isTrue();
        assertThat(canLogIn(before)).as("the old password after the resumed rotation")
                .isEqualTo(strategy.equals("alternating-users"));
        SecretDescription after = later.describeSecret("my/crash");
        assertThat(after.versionWith(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo(before.versionId());
        assertThat(after.versionWith(Label.PENDING)).isEmpty();
        assertThat(after.rotation().lastOutcome()).isEqualTo("succeeded");
        // Resumed from the step the killed process was in: createSecret reran (and kept the pending value) only if it was that one.
        assertThat(rotator.calls("createSecret")).isEqualTo(step.equals("createSecret") ? 1 : 0);
    }

    private boolean canLogIn(SecretVersion v) {
        try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(""), v.field("username"), v.field("password"))) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }
}
