package dev.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.testing.MariaDbServer;
import dev.secrets.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's tool runs the built-in database rotators: the built jar as a real process rotates a
 * PostgreSQL role and a MariaDB account with {@code secrets rotate} (each new password logs in, each
 * old one is refused), and {@code secrets rotation run-due} rotates a due secret of each — with only
 * the jar on its class path, so the drivers come from the jar.
 */
@ExtendWith({PostgresServer.class, MariaDbServer.class})
class DatabaseRotationIT {
    private static final int ROTATIONS = 5;

    @TempDir
    Path dir;
    private final PostgresServer postgres;
    private final MariaDbServer mariaDb;
    private CliProcess cli;

    DatabaseRotationIT(PostgresServer postgres, MariaDbServer mariaDb) {
        this.postgres = postgres;
        this.mariaDb = mariaDb;
    }

    @BeforeEach
    void init() {
        CliProcess.Result init = new CliProcess(dir).run("--store", "file:store", "init", "--generate-key", "master.key");
        assertThat(init.status()).as(init.toString()).isZero();
        cli = new CliProcess(dir).env("SECRETS_STORE", "file:store").env("SECRETS_KEY", "file:master.key");
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli.run(args);
        assertThat(r.status()).as(r.toString()).isZero();
        return r;
    }

    private String password(String id) {
        return ok("get", id, "--field", "password").out().strip();
    }

    private boolean pgLogsIn(String user, String password) {
        return logsIn(postgres.jdbcUrl("postgres"), user, password);
    }

    private boolean mariaDbLogsIn(String user, String password) {
        return logsIn(mariaDb.jdbcUrl(""), user, password);
    }

    private static boolean logsIn(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private String createPostgresSecret(String id) throws SQLException {
        String role = unique("cli_pg");
        postgres.createRole(role, "initial-Password-1", true);
        ok("create", id, "--kind", "database", "--json", "{\"engine\":\"postgres\",\"host\":\"" + postgres.host() + "\",\"port\":"
                + postgres.port() + ",\"dbname\":\"postgres\",\"username\":\"" + role + "\",\"password\":\"initial-Password-1\"}");
        return role;
    }

    private String createMariaDbSecret(String id) throws SQLException {
        String user = unique("cli_my");
        mariaDb.createUser(user, "initial-Password-1");
        ok("create", id, "--kind", "database", "--json", "{\"engine\":\"mariadb\",\"host\":\"" + mariaDb.host() + "\",\"port\":"
                + mariaDb.port() + ",\"username\":\"" + user + "\",\"password\":\"initial-Password-1\"}");
        return user;
    }

    @Test
    void rotate_fiveTimesEach_postgresqlAndMariaDb_newPasswordLogsIn_oldIsRefused() throws SQLException {
        String role = createPostgresSecret("db/pg");
        String user = createMariaDbSecret("db/my");
        ok("rotation", "db/pg", "--rotator", "postgresql");
        ok("rotation", "db/my", "--rotator", "mysql");

        for (int i = 0; i < ROTATIONS; i++) {
            String pgOld = password("db/pg");
            String myOld = password("db/my");
            assertThat(ok("rotate", "db/pg").out()).contains("db/pg");
            assertThat(ok("rotate", "db/my").out()).contains("db/my");
            String pgNew = password("db/pg");
            String myNew = password("db/my");
            assertThat(pgNew).isNotEqualTo(pgOld);
            assertThat(myNew).isNotEqualTo(myOld);
            assertThat(pgLogsIn(role, pgNew)).as("rotation %d: the new PostgreSQL password logs in", i).isTrue();
            assertThat(pgLogsIn(role, pgOld)).as("rotation %d: the old PostgreSQL password is refused", i).isFalse();
            assertThat(mariaDbLogsIn(user, myNew)).as("rotation %d: the new MariaDB password logs in", i).isTrue();
            assertThat(mariaDbLogsIn(user, myOld)).as("rotation %d: the old MariaDB password is refused", i).isFalse();
        }
    }

    @Test
    void runDue_rotatesADueSecretOfEach() throws Exception {
        String role = createPostgresSecret("due/pg");
        String user = createMariaDbSecret("due/my");
        // Every minute: due at the next whole minute after creation (the CLI process runs on the real clock).
        ok("rotation", "due/pg", "--rotator", "postgresql", "--schedule", "* * * * *");
        ok("rotation", "due/my", "--rotator", "mysql", "--schedule", "* * * * *");
        Instant due = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES).plusSeconds(1);
        Thread.sleep(Math.max(0, due.toEpochMilli() - System.currentTimeMillis())); // wall-clock schedule of a separate process

        CliProcess.Result r = ok("rotation", "run-due");

        assertThat(r.out()).contains("rotated due/pg").contains("rotated due/my");
        assertThat(pgLogsIn(role, password("due/pg"))).isTrue();
        assertThat(pgLogsIn(role, "initial-Password-1")).isFalse();
        assertThat(mariaDbLogsIn(user, password("due/my"))).isTrue();
        assertThat(mariaDbLogsIn(user, "initial-Password-1")).isFalse();
    }
}
