package dev.secrets;

import dev.secrets.internal.EndpointFields;
import dev.secrets.spi.DatabaseDialect;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Database credentials read from a key/value secret: a user name and password (from fields chosen
 * by {@link FieldNames}, default {@code username} and {@code password}) and the optional
 * {@code engine}, {@code host}, {@code port} and {@code dbname} fields. The one reading of a
 * database secret, shared by the {@code jdbc:secrets:} driver, the HikariCP credentials provider,
 * the Spring Boot DataSource support and the database rotators.
 *
 * <p>{@code host}, {@code port} and {@code dbname} are checked when read (a host name or IP
 * address, a port number, a database name without URL syntax), so that no field can add
 * parameters or settings to a JDBC URL built from them.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 */
public final class DatabaseCredentials {
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String ENGINE = "engine";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String DBNAME = "dbname";

    /**
     * Which fields of the secret hold the user name and the password.
     *
     * @param username the field of the user name
     * @param password the field of the password
     */
    public record FieldNames(String username, String password) {
        /** {@code username} and {@code password}. */
        public static final FieldNames DEFAULT = new FieldNames(USERNAME, PASSWORD);

        public FieldNames {
            Objects.requireNonNull(username, "username field");
            Objects.requireNonNull(password, "password field");
        }

        /** The fields named by {@value JdbcSettings#USERNAME_FIELD} and {@value JdbcSettings#PASSWORD_FIELD}, else the defaults. */
        public static FieldNames from(SecretsConfig config) {
            return new FieldNames(config.get(JdbcSettings.USERNAME_FIELD).orElse(USERNAME),
                    config.get(JdbcSettings.PASSWORD_FIELD).orElse(PASSWORD));
        }

        /** The setting that chooses {@code field}, for messages. */
        String settingOf(String field) {
            return field.equals(username) ? JdbcSettings.USERNAME_FIELD : JdbcSettings.PASSWORD_FIELD;
        }
    }

    private final String username;
    private final String password;
    private final String versionId;
    private final String engine;
    private final String host;
    private final String port;
    private final String dbname;

    private DatabaseCredentials(String username, String password, String versionId, String engine, String host, String port,
                                String dbname) {
        this.username = username;
        this.password = password;
        this.versionId = versionId;
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.dbname = dbname;
    }

    /**
     * Reads the credentials from a version of a secret.
     *
     * @throws InvalidSecretException (naming the secret, the version and the missing field or the
     *     value's type, never a value) when the value is not key/value or lacks the user name or
     *     password field
     */
    public static DatabaseCredentials from(SecretVersion version, FieldNames names) {
        Map<String, String> f = fieldsOf(version);
        String user = f.get(names.username());
        String password = f.get(names.password());
        if (user == null || password == null) {
            String field = user == null ? names.username() : names.password();
            throw new InvalidSecretException("secret '" + version.secretId() + "' (version " + version.versionId() + ") has no '"
                    + field + "' field; it has " + f.keySet() + " (choose the field with " + names.settingOf(field) + ")");
        }
        // Checked on use too: a generic key/value secret, or one written before the checks, must not inject into a URL.
        String problem = EndpointFields.problem(f.get(HOST), f.get(PORT), f.get(DBNAME));
        if (problem != null) {
            throw new InvalidSecretException("secret '" + version.secretId() + "' (version " + version.versionId() + "): " + problem);
        }
        return new DatabaseCredentials(user, password, version.versionId(), f.get(ENGINE), f.get(HOST), f.get(PORT), f.get(DBNAME));
    }

    /**
     * The fields of a key/value value, or of a text value that is a one-level JSON object: AWS
     * Secrets Manager keeps database credentials as such a {@code SecretString}, and a secret
     * written that way (through {@code secrets serve}, or imported) is read as what it is.
     */
    private static Map<String, String> fieldsOf(SecretVersion version) {
        SecretValue value = version.value();
        if (value.type() == ValueType.KEY_VALUE) {
            return value.fields();
        }
        if (value.type() == ValueType.TEXT) {
            try {
                return SecretValue.ofJson(value.text()).fields();
            } catch (InvalidSecretException notAJsonObject) {
                // reported below, without the parser's words (they may quote the value)
            }
        }
        throw new InvalidSecretException("secret '" + version.secretId() + "' (version " + version.versionId() + ") holds "
                + value.type().name().toLowerCase(java.util.Locale.ROOT) + (value.type() == ValueType.TEXT ? " that is not a one-level JSON object" : "")
                + ", not the key/value fields of database credentials");
    }

    /** As {@link #from(SecretVersion, FieldNames)} with the fields {@code username} and {@code password}. */
    public static DatabaseCredentials from(SecretVersion version) {
        return from(version, FieldNames.DEFAULT);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The version of the secret these were read from. */
    public String versionId() {
        return versionId;
    }

    public Optional<String> engine() {
        return Optional.ofNullable(engine);
    }

    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    public Optional<String> port() {
        return Optional.ofNullable(port);
    }

    public Optional<String> dbname() {
        return Optional.ofNullable(dbname);
    }

    /** The same endpoint, logged in as another user (an admin role of the same database, for example). */
    public DatabaseCredentials withLogin(String username, String password) {
        return new DatabaseCredentials(Objects.requireNonNull(username), Objects.requireNonNull(password), versionId, engine, host,
                port, dbname);
    }

    /** These credentials, with {@code port} and {@code dbname} filled in where the secret has none. */
    public DatabaseCredentials withDefaults(String defaultPort, String defaultDbname) {
        return new DatabaseCredentials(username, password, versionId, engine, host,
                port != null ? port : defaultPort, dbname != null && !dbname.isEmpty() ? dbname : defaultDbname);
    }

    /**
     * The real JDBC URL of the endpoint these credentials name, written by {@code dialect} (an IPv6
     * host in brackets, the database name encoded as the database's URL syntax needs).
     *
     * @param parameters URL parameters for the driver, or null
     * @throws InvalidSecretException when the secret has no {@code host} field
     */
    public String jdbcUrl(DatabaseDialect dialect, String parameters) {
        if (host == null || host.isBlank()) {
            throw new InvalidSecretException("the database secret (version " + versionId + ") has no field '" + HOST
                    + "'; add host (and optionally port, dbname)");
        }
        return dialect.url(host, port, dbname, parameters);
    }

    /** {@code host:port} for messages ({@code ?} for what is missing). */
    public String address() {
        return (host == null ? "?" : host) + ":" + (port == null ? "?" : port);
    }

    @Override
    public String toString() {
        return "DatabaseCredentials[user=" + username + ", password=****, version=" + versionId
                + (host != null ? ", host=" + host : "") + (port != null ? ", port=" + port : "")
                + (dbname != null ? ", dbname=" + dbname : "") + "]";
    }
}
