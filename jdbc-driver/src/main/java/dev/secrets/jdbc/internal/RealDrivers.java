package dev.secrets.jdbc.internal;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The real drivers behind {@code jdbc:secrets:} URLs, resolved once per subprotocol and kept:
 * connecting does not scan {@link DriverManager} again. Thread-safe.
 */
public final class RealDrivers {
    private final ConcurrentMap<String, Driver> bySubprotocol = new ConcurrentHashMap<>();
    private final Class<? extends Driver> wrapper;

    /** @param wrapper the wrapping driver's class, never to be returned as a real driver */
    public RealDrivers(Class<? extends Driver> wrapper) {
        this.wrapper = wrapper;
    }

    /**
     * The driver for {@code realUrl}, whose subprotocol is {@code subprotocol}.
     *
     * @throws SQLException (SQLState 08001) when no driver on the class path accepts the URL
     */
    public Driver forUrl(String subprotocol, String realUrl) throws SQLException {
        Driver d = bySubprotocol.get(subprotocol);
        if (d != null) {
            return d;
        }
        d = find(realUrl);
        Driver raced = bySubprotocol.putIfAbsent(subprotocol, d);
        return raced != null ? raced : d;
    }

    private Driver find(String realUrl) throws SQLException {
        try {
            Driver d = DriverManager.getDriver(realUrl);
            if (!wrapper.isInstance(d)) {
                return d;
            }
        } catch (SQLException notRegistered) {
            // Fall through: in containers and fat jars a driver may be loadable but not registered.
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        for (Driver d : ServiceLoader.load(Driver.class, tccl != null ? tccl : RealDrivers.class.getClassLoader())) {
            if (!wrapper.isInstance(d) && d.acceptsURL(realUrl)) {
                return d;
            }
        }
        String sub = realUrl.length() > 5 ? realUrl.substring(5, Math.max(5, realUrl.indexOf(':', 5))) : realUrl;
        throw new SQLException("no JDBC driver for " + Masking.url(realUrl) + " is on the class path: jdbc:secrets: wraps the "
                + "database's own driver; add the " + sub + " JDBC driver's jar", "08001");
    }
}
