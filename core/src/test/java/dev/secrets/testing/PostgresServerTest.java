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

@ExtendWith(PostgresServer.class)
class PostgresServerTest {

    private final PostgresServer postgres;

    PostgresServerTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void superuser_connectsOverTcpToPostgres15() throws SQLException {
        try (Connection connection = postgres.adminConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT current_user, inet_server_addr()::text, current_setting('server_version_num')")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo(postgres.superuser());
            assertThat(result.getString(2)).startsWith("127.0.0.1");
            assertThat(result.getInt(3)).isBetween(150000, 159999);
        }
    }

    @Test
    void shared_isTheServerTheExtensionStarted() {
        assertThat(PostgresServer.shared().port()).isEqualTo(postgres.port());
        assertThat(postgres.jdbcUrl("app")).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/app");
    }

    @Test
    void wrongSuperuserPassword_isRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.superuser(),
                        postgres.superuserPassword() + "x"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
    }

    @Test
    void createdRole_logsInToCreatedDatabase() throws SQLException {
        String name = uniqueName();
        String url = postgres.createDatabase(name);
        postgres.createRole(name, "first-password", true);

        try (Connection connection = DriverManager.getConnection(url, name, "first-password");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_user, current_database()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo(name);
            assertThat(result.getString(2)).isEqualTo(name);
        }
    }

    @Test
    void changedPassword_refusesTheOldOneAndAcceptsTheNewOne() throws SQLException {
        String role = uniqueName();
        postgres.createRole(role, "old-password", true);
        try (Connection admin = postgres.adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER ROLE \"" + role + "\" PASSWORD 'new-password'");
        }
        String url = postgres.jdbcUrl("postgres");

        assertThatThrownBy(() -> DriverManager.getConnection(url, role, "old-password"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        try (Connection connection = DriverManager.getConnection(url, role, "new-password")) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void roleWithoutLogin_cannotConnect() throws SQLException {
        String role = uniqueName();
        postgres.createRole(role, "a-password", false);

        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), role, "a-password"))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28000");
    }

    private static String uniqueName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
