package dev.secrets.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What the tests' real database servers ({@link PostgresServer}, {@link MariaDbServer}) share: one
 * server per JVM, started by the first use; the JUnit extension that starts it before a class's
 * tests (so a start failure is reported there) and resolves parameters of the server's type; the
 * address, port, JDBC URLs and administrator connections. A subclass says how to start the server,
 * how its JDBC URLs look and who its administrator is.
 *
 * <p>Thread-safe; every instance of a subclass is a handle on the same server.
 */
public abstract class DatabaseServer implements BeforeAllCallback, ParameterResolver {

    /** A started server; {@link #close()} stops it and deletes its files. */
    interface Started extends AutoCloseable {
        /** The TCP port it listens on. */
        int port();

        /** The administrator's password, random for each JVM. */
        String password();
    }

    private final SharedServer<? extends Started> server;

    DatabaseServer(SharedServer<? extends Started> server) {
        this.server = server;
    }

    /** Starts the server if needed, so that a start failure is reported before the class's tests. */
    @Override
    public void beforeAll(ExtensionContext context) {
        server.get();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == getClass();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        server.get();
        return this;
    }

    /** The address the server listens on: {@code 127.0.0.1}. Does not start the server. */
    public String host() {
        return ServerSupport.LOOPBACK;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return server.get().port();
    }

    /** The JDBC URL of {@code database}, without credentials. Use plain names (letters, digits, {@code _}). */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database");
        return url(port(), database);
    }

    /** The administrator's user name. Does not start the server. */
    public abstract String superuser();

    /** The administrator's password, random for each JVM. Keep it out of logs and messages. */
    public String superuserPassword() {
        return server.get().password();
    }

    /** A new connection to {@code database} as the administrator; the caller closes it. */
    public Connection adminConnection(String database) throws SQLException {
        Started s = server.get();
        return connect(url(s.port(), database), superuser(), s.password(), connectTimeout());
    }

    /** The JDBC URL of {@code database} on the server listening on {@code port}. */
    abstract String url(int port, String database);

    /** The JDBC driver's {@code connectTimeout} property for about ten seconds, in the driver's unit. */
    abstract String connectTimeout();

    /** A new connection to {@code url} as {@code user}, giving up after {@code connectTimeout}. */
    static Connection connect(String url, String user, String password, String connectTimeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", connectTimeout);
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public String toString() {
        Started s = server.peek();
        return getClass().getSimpleName() + "[" + (s == null ? "not started" : host() + ":" + s.port()) + "]";
    }
}
