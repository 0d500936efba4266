package dev.secrets.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secrets.internal.dialect.RedshiftDialect;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import org.junit.jupiter.api.Test;

/** The built-in dialects' login-failure codes, and dialects added through ServiceLoader. */
class DatabaseDialectsTest {
    private final DatabaseDialects dialects = DatabaseDialects.load(DatabaseDialectsTest.class.getClassLoader());

    private boolean refused(String subprotocol, SQLException e) {
        return dialects.forSubprotocol(subprotocol).isLoginFailure(e);
    }

    private static SQLException wrapped(SQLException cause) {
        return new SQLException("could not create connection", "08001", 0, cause);
    }

    @Test
    void postgresql_refusesOn28P01And28000() {
        assertThat(refused("postgresql", new SQLException("password authentication failed", "28P01"))).isTrue();
        assertThat(refused("postgresql", new SQLException("role does not exist", "28000"))).isTrue();
        assertThat(refused("postgresql", new SQLException("connection refused", "08001"))).isFalse();
        assertThat(refused("postgresql", new SQLException("no state"))).isFalse();
    }

    @Test
    void mysqlAndMariadb_refuseOnVendorCode1045_anywhereInTheChain() {
        SQLException denied = new SQLException("Access denied for user", "28000", 1045);
        assertThat(refused("mysql", wrapped(denied))).isTrue();
        assertThat(refused("mariadb", wrapped(denied))).isTrue();
        assertThat(refused("mariadb", new SQLException("Unknown database", "42000", 1049))).isFalse();
    }

    @Test
    void redshift_refusesOn28P01() {
        // Built-in one; this test class path also holds a replacement (see the ServiceLoader test).
        DatabaseDialect redshift = new RedshiftDialect();
        assertThat(redshift.isLoginFailure(new SQLException("auth", "28P01"))).isTrue();
        assertThat(redshift.isLoginFailure(new SQLException("x", "08006"))).isFalse();
    }

    @Test
    void oracle_refusesOn1017_9911_17079_inTheChain() {
        assertThat(refused("oracle", new SQLException("ORA-01017", "72000", 1017))).isTrue();
        assertThat(refused("oracle", wrapped(new SQLException("ORA-09911", null, 9911)))).isTrue();
        assertThat(refused("oracle", new SQLException("credentials mismatch", null, 17079))).isTrue();
        assertThat(refused("oracle", new SQLException("ORA-12541: no listener", null, 12541))).isFalse();
    }

    @Test
    void sqlServer_refusesOn18456() {
        assertThat(refused("sqlserver", new SQLException("Login failed for user", "S0001", 18456))).isTrue();
        assertThat(refused("sqlserver", new SQLException("x", "08S01", 0))).isFalse();
    }

    @Test
    void db2_refusesOnMinus1403_inTheChain() {
        assertThat(refused("db2", wrapped(new SQLException("SQL1403N", "08004", -1403)))).isTrue();
        assertThat(refused("db2", new SQLException("x", "08004", -30082))).isFalse();
    }

    @Test
    void h2_refusesOn28000() {
        assertThat(refused("h2", new SQLInvalidAuthorizationSpecException("Wrong user name or password", "28000", 28000))).isTrue();
        assertThat(refused("h2", new SQLException("Database not found", "90146"))).isFalse();
    }

    @Test
    void unknownDatabase_refusesOnSqlStateClass28_inTheChain() {
        assertThat(refused("informix", wrapped(new SQLException("bad login", "28501")))).isTrue();
        assertThat(refused("informix", new SQLException("timeout", "08001"))).isFalse();
        assertThat(dialects.forSubprotocol("informix").subprotocol()).isEqualTo("informix");
    }

    @Test
    void causeChainThatLoops_doesNotHang() {
        SQLException a = new SQLException("a", "08001");
        SQLException b = new SQLException("b", "08001", a);
        a.initCause(b);

        assertThat(refused("mariadb", a)).isFalse();
    }

    @Test
    void dialectFromServiceLoader_isFound_andReplacesTheBuiltInOne() {
        DatabaseDialect added = dialects.forSubprotocol("exampledb");
        assertThat(added).isInstanceOf(ExampleDialect.class);
        assertThat(added.url("h", "7", "d", null)).isEqualTo("jdbc:exampledb://h:7/d");

        assertThat(dialects.forSubprotocol("redshift")).isInstanceOf(ReplacedRedshiftDialect.class);
        assertThat(refused("redshift", new SQLException("custom", "99999"))).isTrue();
    }

    @Test
    void endpointUrls_followEachDatabasesSyntax() {
        assertThat(dialects.forSubprotocol("postgresql").url("db", "5432", "app", "sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require");
        assertThat(dialects.forSubprotocol("mariadb").url("db", null, "app", null)).isEqualTo("jdbc:mariadb://db/app");
        assertThat(dialects.forSubprotocol("sqlserver").url("db", "1433", "app", "encrypt=true&trustServerCertificate=true"))
                .isEqualTo("jdbc:sqlserver://db:1433;databaseName=app;encrypt=true;trustServerCertificate=true");
        assertThat(dialects.forSubprotocol("oracle").url("db", "1521", "ORCL", null)).isEqualTo("jdbc:oracle:thin:@//db:1521/ORCL");
        assertThat(dialects.forSubprotocol("h2").url("db", "9092", "mem:app", null)).isEqualTo("jdbc:h2:tcp://db:9092/mem:app");
    }

    /** A database this library does not know, added the way a user would. */
    public static final class ExampleDialect implements DatabaseDialect {
        @Override
        public String subprotocol() {
            return "exampledb";
        }

        @Override
        public boolean isLoginFailure(SQLException e) {
            return false;
        }
    }

    /** A user's own classification for a database that has a built-in dialect. */
    public static final class ReplacedRedshiftDialect implements DatabaseDialect {
        @Override
        public String subprotocol() {
            return "redshift";
        }

        @Override
        public boolean isLoginFailure(SQLException e) {
            return "99999".equals(e.getSQLState());
        }
    }
}
