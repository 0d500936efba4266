package dev.secrets.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.RotationFailedException;
import dev.secrets.RotationSettings;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.testing.FaultInjectingRotator;
import dev.secrets.testing.InMemoryObjectStore;
import dev.secrets.testing.IsolatedConfig;
import dev.secrets.testing.MutableClock;
import dev.secrets.testing.PostgresServer;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The postgresql rotator against a real PostgreSQL 15 server. */
@ExtendWith(PostgresServer.class)
class PostgresRotatorTest {
    private static final byte[] KEY = new byte[32];
    private static final int ROTATIONS = 20;

    private final PostgresServer postgres;
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final FaultInjectingRotator flaky = new FaultInjectingRotator("flaky-postgresql", new PostgresRotator());
    private final List<SecretsClient> clients = new ArrayList<>();
    private final SecretsClient client;

    PostgresRotatorTest(PostgresServer postgres) {
        this.postgres = postgres;
        SecretsConfig config = IsolatedConfig.get();
        this.client = SecretsClient.builder().config(config).store(store).masterKey("default", KEY).clock(clock).rotator(flaky).build();
        clients.add(client);
    }

    @AfterEach
    void close() {
        clients.forEach(SecretsClient::close);
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private SecretValue dbValue(String user, String password, int port) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("engine", "postgres");
        f.put("host", postgres.host());
        f.put("port", port);
        f.put("dbname", "postgres");
        f.put("username", user);
        f.put("password", password);
        return SecretValue.ofFields(f);
    }

    private void createSecret(String id, String user, String password) {
        client.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, dbValue(user, password, postgres.port())));
    }

    /** Logs in with a version's credentials; returns the role PostgreSQL says we are, or the SQLState of the refusal. */
    private String login(SecretVersion v) {
        return login(v.field("username"), v.field("password"));
    }

    private String login(String user, String password) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), user, password);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "refused " + e.getSQLState();
        }
    }

    private SecretVersion current(String id) {
        return client.refresh(id);
    }

    private SecretVersion labelled(String id, Label label) {
        return client.getSecretValue(GetSecretValueRequest.of(id).withLabel(label).bypassingCache());
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = postgres.adminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void singleUser_twentyRotations_eachLeavesOnlyTheCurrentPasswordWorking() throws SQLException {
        String user = unique("su");
        postgres.createRole(user, "initial-Password-1", true);
        createSecret("pg/single", user, "initial-Password-1");
        client.configureRotation("pg/single", RotationSettings.of("postgresql", "rate(30 days)"));

        long start = System.nanoTime();
        for (int i = 0; i < ROTATIONS; i++) {
            SecretVersion before = current("pg/single");
            String token = client.rotateNow("pg/single");

            SecretVersion now = current("pg/single");
            assertThat(now.versionId()).isEqualTo(token);
            assertThat(now.field("username")).isEqualTo(user);
            assertThat(login(now)).as("rotation %d: CURRENT logs in", i).isEqualTo(user);
            assertThat(login(before)).as("rotation %d: the old password is gone", i).isEqualTo("refused 28P01");
            assertThat(labelled("pg/single", Label.PREVIOUS).versionId()).isEqualTo(before.versionId());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        SecretDescription d = client.describeSecret("pg/single");
        assertThat(d.versions()).hasSize(ROTATIONS + 1);
        assertThat(d.versionWith(Label.PENDING)).isEmpty();
        assertThat(d.rotation().lastOutcome()).isEqualTo("succeeded");
        System.out.printf("postgresql single-user: %d rotations in %d ms (%.1f ms each)%n", ROTATIONS, millis, millis / (double) ROTATIONS);
    }

    @Test
    void aJsonTextSecret_asAwsKeepsCredentials_rotates_andItsPasswordNeverShowsInAFailure() throws SQLException {
        // What secrets serve stores for CreateSecret with SecretString '{"username":…}': generic text, not key/value.
        String user = unique("js");
        postgres.createRole(user, "initial-Password-1", true);
        String json = "{\"engine\":\"postgres\",\"host\":\"" + postgres.host() + "\",\"port\":" + postgres.port()
                + ",\"dbname\":\"postgres\",\"username\":\"" + user + "\",\"password\":\"initial-Password-1\"}";
        client.createSecret(CreateSecretRequest.of("pg/json-text", SecretKind.GENERIC, SecretValue.ofText(json)));
        client.configureRotation("pg/json-text", RotationSettings.of("postgresql", "rate(30 days)"));
        for (int i = 0; i < 3; i++) {
            SecretVersion before = current("pg/json-text");
            client.rotateNow("pg/json-text");
            SecretVersion now = current("pg/json-text");
            assertThat(now.value().fields()).containsEntry("username", user).containsEntry("host", postgres.host())
                    .containsKey("password");
            assertThat(login(now)).as("rotation %d: CURRENT logs in", i).isEqualTo(user);
            String old = i == 0 ? "initial-Password-1" : before.field("password");
            assertThat(login(user, old)).as("rotation %d: the old password is gone", i).isEqualTo("refused 28P01");
        }
        // A rotation that fails after its value is made: the message names no password, old or new.
        String stale = "{\"engine\":\"postgres\",\"host\":\"" + postgres.host() + "\",\"port\":" + postgres.port()
                + ",\"dbname\":\"postgres\",\"username\":\"" + user + "\",\"password\":\"stale-Canary-Pw-77\"}";
        client.createSecret(CreateSecretRequest.of("pg/json-stale", SecretKind.GENERIC, SecretValue.ofText(stale)));
        client.configureRotation("pg/json-stale", RotationSettings.of("postgresql", "rate(30 days)"));
        assertThatThrownBy(() -> client.rotateNow("pg/json-stale")).hasMessageNotContaining("stale-Canary-Pw-77");
        assertThat(current("pg/json-stale").value().text()).as("a failed rotation leaves CURRENT as it was").isEqualTo(stale);
        // Text that is not a JSON object is still refused, naming no value.
        client.createSecret(CreateSecretRequest.of("pg/plain-text", SecretKind.GENERIC, SecretValue.ofText("just-a-Canary-Pw-88")));
        client.configureRotation("pg/plain-text", RotationSettings.of("postgresql", "rate(30 days)"));
        assertThatThrownBy(() -> client.rotateNow("pg/plain-text")).hasMessageContaining("holds text that is not a one-level JSON object")
                .hasMessageNotContaining("just-a-Canary-Pw-88");
    }

    @Test
    void alternatingUsers_twentyRotations_switchRoles_andPreviousKeepsWorkingUntilTheNextRotation() throws SQLException {
        String user = unique("alt");
        String adminUser = unique("altadmin");
        String table = unique("data");
        postgres.createRole(user, "initial-Password-1", true);
        postgres.createRole(adminUser, "admin-Password-1", true);
        admin("ALTER ROLE " + adminUser + " CREATEROLE");
        admin("CREATE TABLE " + table + " (x int)");
        admin("INSERT INTO " + table + " VALUES (42)");
        admin("GRANT SELECT ON " + table + " TO " + user);
        client.createSecret(CreateSecretRequest.of("pg/admin", SecretKind.DATABASE, dbValue(adminUser, "admin-Password-1",
                postgres.port())));
        createSecret("pg/alt", user, "initial-Password-1");
        client.configureRotation("pg/alt", RotationSettings.of("postgresql", "rate(30 days)")
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "pg/admin"));

        long start = System.nanoTime();
        SecretVersion twoAgo = null;
        for (int i = 0; i < ROTATIONS; i++) {
            SecretVersion before = current("pg/alt");
            client.rotateNow("pg/alt");

            SecretVersion now = current("pg/alt");
            String expectedUser = i % 2 == 0 ? user + "_clone" : user;
            assertThat(now.field("username")).isEqualTo(expectedUser);
            assertThat(login(now)).as("rotation %d: CURRENT logs in", i).isEqualTo(expectedUser);
            SecretVersion previous = labelled("pg/alt", Label.PREVIOUS);
            assertThat(previous.versionId()).isEqualTo(before.versionId());
            assertThat(login(previous)).as("rotation %d: PREVIOUS still logs in", i).isEqualTo(before.field("username"));
            if (twoAgo != null) {
                assertThat(login(twoAgo)).as("rotation %d: the version before PREVIOUS no longer logs in", i)
                        .isEqualTo("refused 28P01");
            }
            twoAgo = before;
            // The clone has the privileges of the original role.
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), now.field("username"), now.field("password"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(client.describeSecret("pg/alt").versions()).hasSize(ROTATIONS + 1);
        System.out.printf("postgresql alternating-users: %d rotations in %d ms (%.1f ms each)%n", ROTATIONS, millis,
                millis / (double) ROTATIONS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-user", "alternating-users"})
    void failureAfterEachStep_thenTheNextAttemptCompletes_andDatabaseAndStoreAgree(String strategy) throws SQLException {
        String user = unique("flaky");
        postgres.createRole(user, "initial-Password-1", true);
        createSecret("pg/flaky", user, "initial-Password-1");
        RotationSettings settings = RotationSettings.of("flaky-postgresql", null).withParameter("strategy", strategy);
        if (strategy.equals("alternating-users")) {
            client.createSecret(CreateSecretRequest.of("pg/superuser", SecretKind.DATABASE, dbValue(postgres.superuser(),
                    postgres.superuserPassword(), postgres.port())));
            settings = settings.withParameter("adminSecretId", "pg/superuser");
        }
        client.configureRotation("pg/flaky", settings);

        int versions = 1;
        for (String step : RotationEngine.STEPS) {
            SecretVersion before = current("pg/flaky");
            flaky.failOnceAfter(step);
            assertThatThrownBy(() -> client.rotateNow("pg/flaky")).isInstanceOf(RotationFailedException.class)
                    .hasMessageContaining(step);
            versions++;

            // Between the attempts, the database's password is one the store holds (CURRENT or PENDING).
            SecretDescription mid = client.describeSecret("pg/flaky");
            SecretVersion pending = client.getSecretValue(GetSecretValueRequest.of("pg/flaky")
                    .withVersionId(mid.rotation().pendingVersion()));
            boolean currentWorks = !login(current("pg/flaky")).startsWith("refused");
            boolean pendingWorks = !login(pending).startsWith("refused");
            assertThat(currentWorks || pendingWorks).as("after a failure in %s, a stored version logs in", step).isTrue();
            if (!step.equals("finishSecret")) {
                assertThat(current("pg/flaky").versionId()).isEqualTo(before.versionId());
            }
            assertThat(mid.rotation().lastError()).doesNotContain(pending.field("password"));

            String token = client.rotateNow("pg/flaky");

            assertThat(token).isEqualTo(pending.versionId());
            SecretVersion now = current("pg/flaky");
            assertThat(now.value()).isEqualTo(pending.value());
            assertThat(login(now)).isEqualTo(now.field("username"));
            assertThat(labelled("pg/flaky", Label.PREVIOUS).versionId()).isEqualTo(before.versionId());
            assertThat(client.describeSecret("pg/flaky").versions()).hasSize(versions);
        }
    }

    @Test
    void databaseUnreachable_failsAtSetSecretWithAClearError_andCurrentIsUnchanged() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        client.createSecret(CreateSecretRequest.of("pg/gone", SecretKind.DATABASE, dbValue("nobody", "initial-Password-1", closedPort)));
        String before = current("pg/gone").versionId();
        client.configureRotation("pg/gone", RotationSettings.of("postgresql", null).withParameter("connectTimeout", "2"));

        assertThatThrownBy(() -> client.rotateNow("pg/gone"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("setSecret")
                .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:" + closedPort);
        assertThat(current("pg/gone").versionId()).isEqualTo(before);
        assertThat(client.describeSecret("pg/gone").rotation().failedStep()).isEqualTo("setSecret");
    }

    @Test
    void missingAdminSecret_failsWithAClearError_andCurrentStillLogsIn() throws SQLException {
        String user = unique("noadmin");
        postgres.createRole(user, "initial-Password-1", true);
        createSecret("pg/noadmin", user, "initial-Password-1");
        client.configureRotation("pg/noadmin", RotationSettings.of("postgresql", null)
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "pg/missing-admin"));

        assertThatThrownBy(() -> client.rotateNow("pg/noadmin"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("admin secret 'pg/missing-admin'");
        SecretVersion now = current("pg/noadmin");
        assertThat(now.field("username")).isEqualTo(user);
        assertThat(login(now)).isEqualTo(user);
    }

    @Test
    void singleUser_whoseStoredPasswordsTheDatabaseRefuses_failsClearly_andNothingChanges() throws SQLException {
        String user = unique("wrong");
        postgres.createRole(user, "the-real-Password-1", true);
        createSecret("pg/wrong", user, "a-stale-Password-1");
        String before = current("pg/wrong").versionId();
        client.configureRotation("pg/wrong", RotationSettings.of("postgresql", null));

        assertThatThrownBy(() -> client.rotateNow("pg/wrong"))
                .isInstanceOf(RotationFailedException.class)
                .hasMessageContaining("neither the CURRENT nor the PREVIOUS credentials are accepted")
                .hasMessageContaining("28P01");
        assertThat(current("pg/wrong").versionId()).isEqualTo(before);
        assertThat(login(user, "the-real-Password-1")).isEqualTo(user);
    }

    @Test
    void namesAndPasswordsWithQuotes_cannotChangeTheStatement() throws SQLException {
        String user = unique("Quote\"d'role");
        try (Connection c = postgres.adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE \"" + user.replace("\"", "\"\"") + "\" LOGIN PASSWORD 'initial-Password-1'");
        }
        createSecret("pg/quoted", user, "initial-Password-1");
        client.configureRotation("pg/quoted", RotationSettings.of("postgresql", null)
                .withParameter("excludeCharacters", "").withParameter("passwordLength", "64"));

        for (int i = 0; i < 3; i++) {
            client.rotateNow("pg/quoted");
            assertThat(login(current("pg/quoted"))).isEqualTo(user);
        }
    }

    /**
     * Redshift through the postgresql rotator: a secret of kind {@code redshift} (and the {@code redshift}
     * rotator) gets Redshift's statement ({@code ALTER USER … PASSWORD}) and passwords without the
     * characters Redshift refuses. Run against PostgreSQL, which accepts the same statement; no Redshift
     * cluster runs in the tests.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "redshift"})
    void redshift_kindAndRotator_useTheRedshiftStatementAndPasswords(String rotator) throws SQLException {
        String user = unique("rs");
        postgres.createRole(user, "initial-Password-1", true);
        String id = "rs/" + rotator;
        client.createSecret(CreateSecretRequest.of(id, SecretKind.REDSHIFT, dbValue(user, "initial-Password-1", postgres.port())));
        client.configureRotation(id, RotationSettings.of(rotator, null));

        for (int i = 0; i < 3; i++) {
            SecretVersion before = current(id);
            client.rotateNow(id);
            SecretVersion now = current(id);
            assertThat(login(now)).isEqualTo(user);
            assertThat(login(before)).isEqualTo("refused 28P01");
            assertThat(now.field("password")).doesNotContainAnyWhitespaces().doesNotContain("'", "\"", "\\", "/", "@");
        }
        assertThatThrownBy(() -> client.configureRotation(id, RotationSettings.of("redshift", null)
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "rs/admin")))
                .isInstanceOf(dev.secrets.InvalidSecretException.class).hasMessageContaining("only the single-user strategy");
    }
}
