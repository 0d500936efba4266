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
import java.util.List;
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
                List<RecordingDriver.Attempt> since = RecordingDriver.attempts(MARIADB.jdbcUrl(db));
                assertThat(since.subList(mark, since.size())).as("physical connects since rotation %d", i)
                        .anyMatch(a -> a.accepted() && a.user().equals(user) && a.password().equals(password));
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
}
