package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.CreateSecretRequest;
import dev.secrets.RotationSettings;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The driver against a real PostgreSQL server: plain connects, HikariCP, Flyway, rotation under load. */
class SecretsDriverPostgresIT {
    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String WHO = "SELECT pg_backend_pid()::text, current_user::text";

    private final TestStore store = TestStore.create();

    /** A fresh database and a role owning it, both with names unique to this JVM. */
    private String database(String role, String password) throws SQLException {
        String db = "jdbc_" + NAMES.incrementAndGet();
        POSTGRES.createRole(role, password, true);
        POSTGRES.createDatabase(db);
        try (Connection c = POSTGRES.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db + " OWNER TO " + role);
        }
        return db;
    }

    private static String unique(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    private static void setPassword(String role, String password) throws SQLException {
        try (Connection c = POSTGRES.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        }
    }

    private String secretsUrl(String db) {
        return "jdbc:secrets:" + POSTGRES.jdbcUrl(db).substring("jdbc:".length());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private HikariDataSource pool(String jdbcUrl, String secretId) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(secretId);
        store.settings().forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(20_000);
        config.setMaxLifetime(30_000);
        return new HikariDataSource(config);
    }

    /**
     * A pool like {@link #pool} on {@code db} whose physical connects are recorded ({@link RecordingDriver})
     * and whose connects that fail out of the secrets driver are counted ({@link FailureCountingDriver}).
     * With an alternating-users secret the old user keeps working, so no refused login triggers a re-read: new
     * connections see a rotation when the cached value expires, which {@code zeroTtl} makes "at once".
     */
    private HikariDataSource recordedPool(String db, String secretId, boolean zeroTtl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(RecordingDriver.secretsUrl(POSTGRES.jdbcUrl(db)));
        config.setDriverClassName(FailureCountingDriver.class.getName());
        config.setUsername(secretId);
        store.settings().forEach(config::addDataSourceProperty);
        if (zeroTtl) {
            config.addDataSourceProperty("secrets.cache.ttl", "0s");
        }
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(20_000);
        config.setMaxLifetime(30_000);
        return new HikariDataSource(config);
    }

    /**
     * Waits until, since the {@code mark}-th physical connect to {@code db}, the secrets driver opened a connection
     * as {@code user} with {@code password} (HikariCP's own retries cannot stand in for it: the driver's failures are
     * counted apart, and must be none).
     */
    private static void assertNewConnectionThroughTheDriver(String db, int mark, String user, String password) {
        RecordingDriver.awaitAccepted(POSTGRES.jdbcUrl(db), mark, user, password, Duration.ofSeconds(15));
    }

    private static int connectsSoFar(String db) {
        return RecordingDriver.attempts(POSTGRES.jdbcUrl(db)).size();
    }

    private static void assertNoDriverFailure(String db) {
        assertThat(FailureCountingDriver.failures(RecordingDriver.secretsUrl(POSTGRES.jdbcUrl(db))))
                .as("connects that failed out of the secrets driver (HikariCP would have retried them)").isEmpty();
    }

    @Test
    void driverManager_connectsAsTheSecretsUser() throws SQLException {
        String role = unique("app");
        String db = database(role, "pw-" + role);
        store.createDatabaseSecret("pg/" + role, role, "pw-" + role);

        try (Connection c = DriverManager.getConnection(secretsUrl(db), store.props("pg/" + role))) {
            assertThat(single(c, "SELECT current_user")).isEqualTo(role);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(c.getClass().getName()).startsWith("org.postgresql.");
        }
    }

    @Test
    void endpointForm_takesHostPortAndDbnameFromTheSecret() throws SQLException {
        String role = unique("endpoint");
        String db = database(role, "pw-e");
        store.createDatabaseSecret("pg/endpoint", Map.of("username", role, "password", "pw-e", "engine", "postgres",
                "host", POSTGRES.host(), "port", String.valueOf(POSTGRES.port()), "dbname", db));

        try (Connection c = DriverManager.getConnection("jdbc:secrets:postgresql?ApplicationName=endpoint-test",
                store.props("pg/endpoint"))) {
            assertThat(single(c, "SELECT current_database()")).isEqualTo(db);
            assertThat(single(c, "SELECT current_setting('application_name')")).isEqualTo("endpoint-test");
        }
    }

    @Test
    void hikari_withOnlyJdbcUrlAndSecretIdAsUsername_servesQueries() throws SQLException {
        String role = unique("hikari");
        String db = database(role, "pw-h");
        store.createDatabaseSecret("pg/hikari", role, "pw-h");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(secretsUrl(db));
        config.setUsername("pg/hikari");
        store.settings().forEach(config::addDataSourceProperty);

        try (HikariDataSource ds = new HikariDataSource(config); Connection c = ds.getConnection()) {
            assertThat(single(c, "SELECT current_user")).isEqualTo(role);
        }
    }

    @Test
    void flyway_migratesThroughASecretsUrl() throws Exception {
        String role = unique("flyway");
        String db = database(role, "pw-f");
        store.createDatabaseSecret("pg/flyway", role, "pw-f");
        Path migrations = Files.createTempDirectory("migrations");
        Files.writeString(migrations.resolve("V1__create_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);");
        Files.writeString(migrations.resolve("V2__seed.sql"), "INSERT INTO accounts VALUES (1, 'first');");

        // Flyway's own url= setting accepts only URLs of databases it has a plugin for; given a
        // DataSource on the jdbc:secrets: URL, it recognises PostgreSQL from the real connection.
        MigrateResult result;
        try (HikariDataSource ds = pool(secretsUrl(db), "pg/flyway")) {
            result = Flyway.configure().dataSource(ds).locations("filesystem:" + migrations).load().migrate();
        }

        assertThat(result.migrationsExecuted).isEqualTo(2);
        assertThat(result.database).isEqualTo(db);
        try (Connection c = DriverManager.getConnection(secretsUrl(db), store.props("pg/flyway"))) {
            assertThat(single(c, "SELECT name FROM accounts WHERE id = 1")).isEqualTo("first");
            assertThat(single(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'accounts'")).isEqualTo(role);
        }
    }

    @Test
    void rotationUnderLoad_singleUser_losesNoQuery_andNewConnectionsUseEachPassword() throws Exception {
        String role = unique("single");
        String db = database(role, "password-0");
        store.createDatabaseSecret("pg/single", role, "password-0");
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "pg/single", false); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                int mark = connectsSoFar(db);
                String password = "password-" + i;
                // Single-user rotation: the database changes first, the store's CURRENT a moment later; the
                // pool opens connections in between (soft eviction), which the driver's retries must carry.
                setPassword(role, password);
                ds.getHikariPoolMXBean().softEvictConnections();
                Thread.sleep(150);
                store.put("pg/single", role, password);
                load.awaitNewConnection(before, role, Duration.ofSeconds(15));
                assertNewConnectionThroughTheDriver(db, mark, role, password);
                assertOldPasswordRefused(db, role, "password-" + (i - 1));
            }
            load.assertNoFailures();
            assertNoDriverFailure(db);
            assertThat(load.queries()).isGreaterThan(rotations);
            System.out.println("postgres single-user: " + rotations + " rotations, " + load.queries() + " queries, "
                    + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }

    @Test
    void rotationUnderLoad_alternatingUsers_losesNoQuery_andNewConnectionsUseEachUser() throws Exception {
        String roleA = unique("alt_a");
        String roleB = unique("alt_b");
        String db = database(roleA, "a-0");
        POSTGRES.createRole(roleB, "b-0", true);
        try (Connection c = POSTGRES.adminConnection(db); Statement s = c.createStatement()) {
            s.execute("GRANT ALL ON DATABASE " + db + " TO " + roleB);
        }
        store.createDatabaseSecret("pg/alternating", roleA, "a-0");
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "pg/alternating", true); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                int mark = connectsSoFar(db);
                String next = i % 2 == 0 ? roleA : roleB;
                String password = next + "-pw-" + i;
                setPassword(next, password);
                store.put("pg/alternating", next, password);
                load.awaitNewConnection(before, next, Duration.ofSeconds(15));
                assertNewConnectionThroughTheDriver(db, mark, next, password);
            }
            load.assertNoFailures();
            assertNoDriverFailure(db);
        }
    }

    /** A database secret for {@code role} on {@code db} with the endpoint fields the postgresql rotator connects with. */
    private void createRotatableSecret(String id, String role, String password, String db) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("engine", "postgres");
        fields.put("host", POSTGRES.host());
        fields.put("port", POSTGRES.port());
        fields.put("dbname", db);
        fields.put("username", role);
        fields.put("password", password);
        store.admin.createSecret(CreateSecretRequest.of(id, SecretKind.DATABASE, SecretValue.ofFields(fields)));
    }

    /**
     * The whole chain a user runs: the built-in postgresql rotator (single-user: {@code ALTER ROLE}
     * with the current credentials, then CURRENT moves) rotates 20 times while a HikariCP pool on
     * the {@code jdbc:secrets:} URL serves queries; the driver's refresh-and-retry carries the
     * window between the database's change and the store's.
     */
    @Test
    void rotationUnderLoad_byThePostgresqlRotator_singleUser_losesNoQuery() throws Exception {
        String role = unique("rotator_single");
        String db = database(role, "Rotator-initial-1");
        createRotatableSecret("pg/rotator-single", role, "Rotator-initial-1", db);
        store.admin.configureRotation("pg/rotator-single", RotationSettings.of("postgresql", "rate(30 days)"));
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "pg/rotator-single", false); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                String oldPassword = store.admin.getSecretValue("pg/rotator-single").field("password");
                Set<String> before = load.connectionsSeen();
                int mark = connectsSoFar(db);
                String version = store.admin.rotateNow("pg/rotator-single");
                assertThat(store.admin.getSecretValue("pg/rotator-single").versionId()).isEqualTo(version);
                assertOldPasswordRefused(db, role, oldPassword);
                // A connection opened after the rotation: it can only have logged in with the new password.
                load.awaitNewConnection(before, role, Duration.ofSeconds(15));
                assertNewConnectionThroughTheDriver(db, mark, role, store.admin.getSecretValue("pg/rotator-single").field("password"));
            }
            load.assertNoFailures();
            assertNoDriverFailure(db);
            assertThat(store.admin.describeSecret("pg/rotator-single").rotation().lastOutcome()).isEqualTo("succeeded");
            System.out.println("postgresql rotator, single-user, under load: " + rotations + " rotations, " + load.queries()
                    + " queries, " + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }

    /**
     * The postgresql rotator's alternating-users strategy (a clone role, switched on each rotation,
     * managed through an admin secret) under a live pool: no query fails, and new connections log in
     * as each rotation's user in turn.
     */
    @Test
    void rotationUnderLoad_byThePostgresqlRotator_alternatingUsers_losesNoQuery() throws Exception {
        String role = unique("rotator_alt");
        String adminRole = unique("rotator_admin");
        String db = database(role, "Rotator-alt-1");
        POSTGRES.createRole(adminRole, "Rotator-admin-1", true);
        try (Connection c = POSTGRES.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + adminRole + " CREATEROLE");
        }
        createRotatableSecret("pg/rotator-admin", adminRole, "Rotator-admin-1", "postgres");
        createRotatableSecret("pg/rotator-alt", role, "Rotator-alt-1", db);
        store.admin.configureRotation("pg/rotator-alt", RotationSettings.of("postgresql", "rate(30 days)")
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "pg/rotator-admin")
                // The pool keeps connections of the PREVIOUS user open; waiting for them to drain is tested in core.
                .withParameter("drain", "proceed"));
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "pg/rotator-alt", true); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                int mark = connectsSoFar(db);
                store.admin.rotateNow("pg/rotator-alt");
                SecretVersion current = store.admin.getSecretValue("pg/rotator-alt");
                String user = current.field("username");
                assertThat(user).isEqualTo(i % 2 == 1 ? role + "_clone" : role);
                load.awaitNewConnection(before, user, Duration.ofSeconds(15));
                assertNewConnectionThroughTheDriver(db, mark, user, current.field("password"));
            }
            load.assertNoFailures();
            assertNoDriverFailure(db);
            System.out.println("postgresql rotator, alternating users, under load: " + rotations + " rotations, " + load.queries()
                    + " queries, 0 failures");
        }
    }

    @Test
    void hikariCredentialsProvider_onTheRealUrl_givesEachNewConnectionTheCurrentPassword() throws Exception {
        String role = unique("provider");
        String db = database(role, "p-0");
        store.createDatabaseSecret("pg/provider", role, "p-0");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRES.jdbcUrl(db));
        config.setCredentialsProvider(new SecretCredentialsProvider(store.admin, "pg/provider"));
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(20_000);
        int rotations = 5;

        try (HikariDataSource ds = new HikariDataSource(config); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                setPassword(role, "p-" + i);
                store.put("pg/provider", role, "p-" + i);
                load.awaitNewConnection(before, role, Duration.ofSeconds(15));
            }
            load.assertNoFailures();
        }
    }

    private static void assertOldPasswordRefused(String db, String role, String oldPassword) {
        assertThatThrownBy(() -> DriverManager.getConnection(POSTGRES.jdbcUrl(db), role, oldPassword).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }
}
