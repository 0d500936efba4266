package dev.secrets.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * The {@code jdbc:secrets:} driver as HikariCP sees it ({@code driverClassName}), counting every
 * connect that failed out of it. HikariCP retries a failed connect for up to its connection timeout,
 * so a failure of the secrets driver would otherwise be hidden by the pool. Not registered with
 * {@code DriverManager}. Thread-safe.
 */
public final class FailureCountingDriver implements Driver {
    private static final List<String> FAILURES = new CopyOnWriteArrayList<>();

    /** For HikariCP, which makes the instance from the class name. */
    public FailureCountingDriver() {
    }

    /** Every connect to {@code url} that failed out of the secrets driver so far: "SQLState: message". */
    static List<String> failures(String url) {
        String prefix = url + " ";
        return FAILURES.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).toList();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        try {
            return SecretsDriver.instance().connect(url, info);
        } catch (SQLException | RuntimeException e) {
            FAILURES.add(url + " " + (e instanceof SQLException s ? s.getSQLState() : e.getClass().getSimpleName()) + ": " + e.getMessage());
            throw e;
        }
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return SecretsDriver.instance().acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return SecretsDriver.instance().getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return SecretsDriver.instance().getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return SecretsDriver.instance().getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
