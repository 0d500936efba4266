package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The driver against a real MariaDB server: plain connects, HikariCP, a password change under load. */
class SecretsDriverMariaDbIT {
    @RegisterExtension
    static final MariaDbServer MARIADB = MariaDbServer.shared();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String WHO = "SELECT CONNECTION_ID(), SUBSTRING_INDEX(CURRENT_USER(), '@', 1)";

    private final TestStore store = TestStore.create();

    private static String unique(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    /** A fresh database and a user with every privilege on it. */
    private static String database(String user, String password) throws SQLException {
        String db = unique("jdbc");
        MARIADB.createDatabase(db);
        MARIADB.createUser(user, password, db);
        return db;
    }

    private static void setPassword(String user, String password) throws SQLException {
        try (Connection c = MARIADB.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
        }
    }

    private static String secretsUrl(String db) {
        return "jdbc:secrets:" + MARIADB.jdbcUrl(db).substring("jdbc:".length());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void driverManager_connectsAsTheSecretsUser() throws SQLException {
        String user = unique("app");
        String db = database(user, "pw-1");
        store.createDatabaseSecret("maria/app", user, "pw-1");

        try (Connection c = DriverManager.getConnection(secretsUrl(db), store.props("maria/app"))) {
            assertThat(single(c, "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)")).isEqualTo(user);
            assertThat(single(c, "SELECT DATABASE()")).isEqualTo(db);
            assertThat(c.getClass().getName()).startsWith("org.mariadb.");
        }
    }

    @Test
    void endpointForm_takesHostPortAndDbnameFromTheSecret() throws SQLException {
        String user = unique("endpoint");
        String db = database(user, "pw-e");
        store.createDatabaseSecret("maria/endpoint", Map.of("username", user, "password", "pw-e", "engine", "mariadb",
                "host", MARIADB.host(), "port", String.valueOf(MARIADB.port()), "dbname", db));

        try (Connection c = DriverManager.getConnection("jdbc:secrets:mariadb", store.props("maria/endpoint"))) {
            assertThat(single(c, "SELECT DATABASE()")).isEqualTo(db);
        }
    }

    @Test
    void hikari_withOnlyJdbcUrlAndSecretIdAsUsername_servesQueries() throws SQLException {
        String user = unique("hikari");
        String db = database(user, "pw-h");
        store.createDatabaseSecret("maria/hikari", user, "pw-h");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(secretsUrl(db));
        config.setUsername("maria/hikari");
        store.settings().forEach(config::addDataSourceProperty);

        try (HikariDataSource ds = new HikariDataSource(config); Connection c = ds.getConnection()) {
            assertThat(single(c, "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)")).isEqualTo(user);
        }
    }

    @Test
    void rotationUnderLoad_passwordChange_losesNoQuery_andNewConnectionsUseEachPassword() throws Exception {
        String user = unique("rot");
        String db = database(user, "password-0");
        store.createDatabaseSecret("maria/rotating", user, "password-0");
        int rotations = 20;
        HikariConfig config = new HikariConfig();
        // Physical connects recorded, and connects that fail out of the secrets driver counted (HikariCP would retry them).
        config.setJdbcUrl(RecordingDriver.secretsUrl(MARIADB.jdbcUrl(db)));
        config.setDriverClassName(FailureCountingDriver.class.getName());
        config.setUsername("maria/rotating");
        store.settings().forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(20_000);
        config.setMaxLifetime(30_000);

        try (HikariDataSource ds = new HikariDataSource(config); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                int mark = RecordingDriver.attempts(MARIADB.jdbcUrl(db)).size();
                String password = "password-" + i;
                setPassword(user, password);
                ds.getHikariPoolMXBean().softEvictConnections();
                Thread.sleep(150); // the store's CURRENT moves a moment after the database changed
                store.put("maria/rotating", user, password);
                load.awaitNewConnection(before, user, Duration.ofSeconds(15));
                RecordingDriver.awaitAccepted(MARIADB.jdbcUrl(db), mark, user, password, Duration.ofSeconds(15));
                String old = "password-" + (i - 1);
                assertThatThrownBy(() -> DriverManager.getConnection(MARIADB.jdbcUrl(db), user, old).close())
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045));
            }
            load.assertNoFailures();
            assertThat(FailureCountingDriver.failures(RecordingDriver.secretsUrl(MARIADB.jdbcUrl(db)))).isEmpty();
            System.out.println("mariadb: " + rotations + " rotations, " + load.queries() + " queries, "
                    + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }

    /** A pool on {@code jdbc:secrets:mariadb:} that records each physical connect and counts connects failing out of the driver. */
    private HikariDataSource recordedPool(String db, String secretId, boolean zeroTtl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(RecordingDriver.secretsUrl(MARIADB.jdbcUrl(db)));
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

    private void createRotatableSecret(String id, String user, String password, String db) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("engine", "mariadb");
        fields.put("host", MARIADB.host());
        fields.put("port", MARIADB.port());
        fields.put("dbname", db);
        fields.put("username", user);
        fields.put("password", password);
        store.admin.createSecret(dev.secrets.CreateSecretRequest.of(id, dev.secrets.SecretKind.DATABASE,
                dev.secrets.SecretValue.ofFields(fields)));
    }

    private static void assertRefused(String db, String user, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(MARIADB.jdbcUrl(db), user, password).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045));
    }

    /**
     * The built-in mysql rotator, single-user, under a live pool on {@code jdbc:secrets:mariadb:}: no query
     * fails; after each rotation the driver opens at least one new physical connection, accepted with the new
     * password (recorded under the driver), on which the server says the session's user is the secret's
     * user; the old password is refused.
     */
    @Test
    void rotationUnderLoad_byTheMysqlRotator_singleUser_losesNoQuery() throws Exception {
        String user = unique("rsingle");
        String db = database(user, "Rotator-initial-1");
        createRotatableSecret("maria/rotator-single", user, "Rotator-initial-1", db);
        store.admin.configureRotation("maria/rotator-single", dev.secrets.RotationSettings.of("mysql", "rate(30 days)"));
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "maria/rotator-single", false); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            for (int i = 1; i <= rotations; i++) {
                String oldPassword = store.admin.getSecretValue("maria/rotator-single").field("password");
                Set<String> before = load.connectionsSeen();
                int mark = RecordingDriver.attempts(MARIADB.jdbcUrl(db)).size();
                store.admin.rotateNow("maria/rotator-single");
                String password = store.admin.getSecretValue("maria/rotator-single").field("password");
                assertRefused(db, user, oldPassword);
                load.awaitNewConnection(before, user, Duration.ofSeconds(15));
                RecordingDriver.awaitAccepted(MARIADB.jdbcUrl(db), mark, user, password, Duration.ofSeconds(15));
            }
            load.assertNoFailures();
            assertThat(FailureCountingDriver.failures(RecordingDriver.secretsUrl(MARIADB.jdbcUrl(db)))).isEmpty();
            System.out.println("mysql rotator on mariadb, single-user, under load: " + rotations + " rotations, " + load.queries()
                    + " queries, " + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }

    /**
     * The mysql rotator's alternating users under a live pool, with the default drain ({@code wait}): each
     * rotation waits until the pool's connections of the user it is about to change are gone, so no query
     * fails; new connections log in as each rotation's user (the server's record), accepted with its new
     * password; the credentials from two rotations ago are refused.
     */
    @Test
    void rotationUnderLoad_byTheMysqlRotator_alternatingUsers_withDrain_losesNoQuery() throws Exception {
        String user = unique("ralt");
        String admin = unique("radmin");
        String db = database(user, "Rotator-alt-1");
        MARIADB.createUser(admin, "Rotator-admin-1");
        try (Connection c = MARIADB.adminConnection(); Statement s = c.createStatement()) {
            s.execute("GRANT CREATE USER, PROCESS ON *.* TO '" + admin + "'@'%'");
            s.execute("GRANT SELECT ON mysql.* TO '" + admin + "'@'%'");
            s.execute("GRANT ALL PRIVILEGES ON `" + db + "`.* TO '" + admin + "'@'%' WITH GRANT OPTION");
        }
        createRotatableSecret("maria/rotator-admin", admin, "Rotator-admin-1", db);
        createRotatableSecret("maria/rotator-alt", user, "Rotator-alt-1", db);
        store.admin.configureRotation("maria/rotator-alt", dev.secrets.RotationSettings.of("mysql", "rate(30 days)")
                .withParameter("strategy", "alternating-users").withParameter("adminSecretId", "maria/rotator-admin")
                .withParameter("drainTimeout", "60s"));
        int rotations = 20;

        try (HikariDataSource ds = recordedPool(db, "maria/rotator-alt", true); RotationLoad load = new RotationLoad(ds, WHO, 4)) {
            dev.secrets.SecretVersion twoAgo = null;
            dev.secrets.SecretVersion previous = store.admin.getSecretValue("maria/rotator-alt");
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                int mark = RecordingDriver.attempts(MARIADB.jdbcUrl(db)).size();
                store.admin.rotateNow("maria/rotator-alt");
                dev.secrets.SecretVersion current = store.admin.getSecretValue("maria/rotator-alt");
                String now = current.field("username");
                assertThat(now).isEqualTo(i % 2 == 1 ? user + "_clone" : user);
                load.awaitNewConnection(before, now, Duration.ofSeconds(15));
                RecordingDriver.awaitAccepted(MARIADB.jdbcUrl(db), mark, now, current.field("password"), Duration.ofSeconds(15));
                if (twoAgo != null) {
                    assertRefused(db, twoAgo.field("username"), twoAgo.field("password"));
                }
                twoAgo = previous;
                previous = current;
            }
            load.assertNoFailures();
            assertThat(FailureCountingDriver.failures(RecordingDriver.secretsUrl(MARIADB.jdbcUrl(db)))).isEmpty();
            System.out.println("mysql rotator on mariadb, alternating users with drain, under load: " + rotations + " rotations, "
                    + load.queries() + " queries, " + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }
}
