package dev.secrets.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Records every physical connect the {@code jdbc:secrets:} driver makes, between it and the real
 * driver: a URL {@code jdbc:secrets:recorded:postgresql://…} makes the secrets driver call this driver
 * with {@code jdbc:recorded:postgresql://…}, which connects through the real driver for
 * {@code jdbc:postgresql://…} and records the user, the password and whether the database accepted
 * them. Registered with {@link DriverManager} once, when the class is loaded. Thread-safe.
 */
final class RecordingDriver implements Driver {
    static final String PREFIX = "jdbc:recorded:";
    private static final List<Attempt> ATTEMPTS = new CopyOnWriteArrayList<>();
    private static final Map<String, Map.Entry<Integer, Runnable>> ON_REFUSAL = new ConcurrentHashMap<>();

    static {
        try {
            DriverManager.registerDriver(new RecordingDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One physical connect: to {@code realUrl}, as {@code user} with {@code password}; {@code sqlState} null if accepted. */
    record Attempt(String realUrl, String user, String password, String sqlState) {
        boolean accepted() {
            return sqlState == null;
        }
    }

    private RecordingDriver() {
    }

    /** The {@code jdbc:secrets:} URL that records the connects made for the real driver's {@code realUrl}. */
    static String secretsUrl(String realUrl) {
        return "jdbc:secrets:recorded:" + realUrl.substring("jdbc:".length());
    }

    /** Every connect to {@code realUrl} recorded so far, in order. */
    static List<Attempt> attempts(String realUrl) {
        return ATTEMPTS.stream().filter(a -> a.realUrl().equals(realUrl)).toList();
    }

    /**
     * Waits until, since the {@code mark}-th recorded connect to {@code realUrl}, the database accepted a login
     * as {@code user} with {@code password}; fails after {@code timeout} listing what was recorded.
     */
    static void awaitAccepted(String realUrl, int mark, String user, String password, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Attempt> all = attempts(realUrl);
            List<Attempt> since = all.subList(Math.min(mark, all.size()), all.size());
            if (since.stream().anyMatch(a -> a.accepted() && a.user().equals(user) && a.password().equals(password))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no connection accepted as " + user + " with the new password within " + timeout
                        + "; physical connects since the rotation (user, accepted): "
                        + since.stream().map(a -> a.user() + " " + a.accepted()).toList());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polling what the pool's threads record
        }
    }

    /**
     * Runs {@code action} once, when the database refuses the {@code n}-th login to {@code realUrl}, before
     * the refusal reaches the secrets driver: a test's way to change the world at an exact point of a retry.
     */
    static void onRefusal(String realUrl, int n, Runnable action) {
        ON_REFUSAL.put(realUrl, Map.entry(n, action));
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String realUrl = "jdbc:" + url.substring(PREFIX.length());
        String user = info.getProperty("user");
        String password = info.getProperty("password");
        try {
            Connection c = DriverManager.getDriver(realUrl).connect(realUrl, info);
            ATTEMPTS.add(new Attempt(realUrl, user, password, null));
            return c;
        } catch (SQLException e) {
            ATTEMPTS.add(new Attempt(realUrl, user, password, String.valueOf(e.getSQLState())));
            Map.Entry<Integer, Runnable> hook = ON_REFUSAL.get(realUrl);
            if (hook != null && attempts(realUrl).stream().filter(a -> !a.accepted()).count() == hook.getKey()) {
                ON_REFUSAL.remove(realUrl);
                hook.getValue().run();
            }
            throw e;
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
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
