package dev.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MariaDbServer.class)
class MariaDbServerTest {

    private final MariaDbServer mariaDb;

    MariaDbServerTest(MariaDbServer mariaDb) {
        this.mariaDb = mariaDb;
    }

    @Test
    void administrator_connectsOverTcpToMariaDb() throws SQLException {
        try (Connection connection = mariaDb.adminConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT CURRENT_USER(), VERSION()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("root@127.0.0.1");
            assertThat(result.getString(2)).containsIgnoringCase("MariaDB");
        }
    }

    @Test
    void shared_isTheServerTheExtensionStarted() {
        assertThat(MariaDbServer.shared().port()).isEqualTo(mariaDb.port());
        assertThat(mariaDb.jdbcUrl("app")).isEqualTo("jdbc:mariadb://127.0.0.1:" + mariaDb.port() + "/app");
    }

    @Test
    void wrongAdministratorPassword_isRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(mariaDb.jdbcUrl(""), mariaDb.superuser(),
                        mariaDb.superuserPassword() + "x"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1045);
    }

    @Test
    void createdUser_usesItsDatabase() throws SQLException {
        String name = uniqueName();
        String url = mariaDb.createDatabase(name);
        mariaDb.createUser(name, "first-password", name);

        try (Connection connection = DriverManager.getConnection(url, name, "first-password");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO t VALUES (1)");
            try (ResultSet result = statement.executeQuery("SELECT COUNT(*), DATABASE() FROM t")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(1);
                assertThat(result.getString(2)).isEqualTo(name);
            }
        }
    }

    @Test
    void userWithoutGrants_cannotUseAnotherDatabase() throws SQLException {
        String database = uniqueName();
        String user = uniqueName();
        mariaDb.createDatabase(database);
        mariaDb.createUser(user, "a-password");

        assertThatThrownBy(() -> DriverManager.getConnection(mariaDb.jdbcUrl(database), user, "a-password"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1044);
    }

    @Test
    void changedPassword_refusesTheOldOneAndAcceptsTheNewOne() throws SQLException {
        String user = uniqueName();
        mariaDb.createUser(user, "old-password");
        try (Connection admin = mariaDb.adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'new-password'");
        }
        String url = mariaDb.jdbcUrl("");

        assertThatThrownBy(() -> DriverManager.getConnection(url, user, "old-password"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1045);
        try (Connection connection = DriverManager.getConnection(url, user, "new-password")) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    private static String uniqueName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
