package dev.secrets.jdbc;

import dev.secrets.JdbcSettings;
import dev.secrets.jdbc.internal.Connector;
import dev.secrets.jdbc.internal.SecretsUrl;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:secrets:} URLs: it connects through the database's own driver
 * with a user name and password read from a secret at connect time.
 *
 * <ul>
 *   <li>{@code jdbc:secrets:REST} connects through the real driver at {@code jdbc:REST}
 *       ({@code jdbc:secrets:postgresql://db:5432/app} → {@code jdbc:postgresql://db:5432/app}).
 *       {@code jdbc:secrets:postgresql} (also {@code mysql}, {@code mariadb}, {@code oracle},
 *       {@code sqlserver}, …) with no host takes {@code host}, {@code port} and {@code dbname} from
 *       the secret; parameters may follow a {@code ?}.</li>
 *   <li>The {@code user} property is the secret ID ({@code secretId}, as a property or a URL
 *       parameter, wins over it). The secret's {@code username} and {@code password} fields
 *       ({@value JdbcSettings#USERNAME_FIELD}, {@value JdbcSettings#PASSWORD_FIELD}) go to the real driver;
 *       other properties pass through unchanged, except {@code secrets.*}, which configure this
 *       driver and its {@code SecretsClient} as the highest layer of the configuration chain
 *       ({@code secrets.store}, {@code secrets.key}, …). Connections with the same
 *       {@code secrets.*} properties share one client and its cache.</li>
 *   <li>Credentials are read through the client's cache. When the database refuses the login (as
 *       the database's {@link dev.secrets.spi.DatabaseDialect} says), the secret is read again
 *       from the store and the connect retried with capped exponential backoff, at most
 *       {@value JdbcSettings#MAX_RETRIES} times (default 8) within {@value JdbcSettings#RETRY_BUDGET}
 *       (default {@code 10s}).</li>
 *   <li>The real driver is found once per subprotocol and kept; the real driver's
 *       {@link Connection} is returned as it is.</li>
 * </ul>
 *
 * <p>Errors are {@link SQLException}s that say what is wrong and how to fix it; they never carry a
 * password (URLs in messages are masked). A refused login keeps the real driver's SQLState, vendor
 * code and exception as the cause.
 *
 * <p>The driver registers one instance with {@link DriverManager} when the class is loaded (which
 * {@code META-INF/services/java.sql.Driver} makes happen); constructing more instances registers
 * nothing, and every instance shares the registered one's clients and caches. Thread-safe.
 */
public final class SecretsDriver implements Driver {
    // One connector for every instance: tools that instantiate the driver class themselves still
    // share the clients, caches and resolved drivers of the registered one.
    private static final Connector CONNECTOR = new Connector(SecretsDriver.class);
    private static final SecretsDriver REGISTERED;

    static {
        REGISTERED = new SecretsDriver();
        try {
            DriverManager.registerDriver(REGISTERED);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For {@link java.util.ServiceLoader}; applications use {@link DriverManager} or {@link #instance()}. */
    public SecretsDriver() {
    }

    /** The instance registered with {@link DriverManager}. */
    public static SecretsDriver instance() {
        return REGISTERED;
    }

    /**
     * Connects, or returns null when {@code url} is not a {@code jdbc:secrets:} URL (so that
     * {@link DriverManager} asks the next driver).
     *
     * @throws SQLException when the secret is missing or incomplete, the store cannot be read, the
     *     real driver is not on the class path, or the database refuses the secret's credentials
     *     also after re-reading it
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return CONNECTOR.connect(url, info);
    }

    /** True for {@code jdbc:secrets:} URLs only. */
    @Override
    public boolean acceptsURL(String url) {
        return SecretsUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[] {
            property("user", info, "ID of the secret holding the database credentials"),
            property(Connector.SECRET_ID, info, "ID of the secret (instead of user)"),
            property("secrets.store", info, "store URI: file:PATH or s3://BUCKET/PREFIX (else the configuration chain)"),
            property("secrets.key", info, "key URI of the master key 'default' (else the configuration chain)"),
            property(JdbcSettings.USERNAME_FIELD, info, "secret field holding the user name (default username)"),
            property(JdbcSettings.PASSWORD_FIELD, info, "secret field holding the password (default password)"),
            property(JdbcSettings.MAX_RETRIES, info, "retries after a refused login (default 8)"),
            property(JdbcSettings.RETRY_BUDGET, info, "time allowed for those retries (default 10s)"),
        };
    }

    private static DriverPropertyInfo property(String name, Properties info, String description) {
        DriverPropertyInfo p = new DriverPropertyInfo(name, info != null ? info.getProperty(name) : null);
        p.description = description;
        return p;
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** False: compliance is the real driver's. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.secrets.jdbc");
    }

    @Override
    public String toString() {
        return "SecretsDriver[jdbc:secrets:]";
    }
}
