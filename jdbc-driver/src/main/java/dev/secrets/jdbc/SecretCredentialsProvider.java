package dev.secrets.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;
import dev.secrets.DatabaseCredentials;
import dev.secrets.JdbcSettings;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import dev.secrets.StoreUnavailableException;
import dev.secrets.jdbc.internal.HostPinning;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Gives a HikariCP pool that uses the database's own URL ({@code jdbc:postgresql:…}) its user name
 * and password from a secret, read again for every new physical connection:
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db:5432/app");
 * config.setCredentialsProvider(new SecretCredentialsProvider(client, "prod/app-db").forPool(config));
 * }</pre>
 *
 * <p><b>Credentials go only to the host the secret names.</b> When the secret holds a {@code host}
 * (or {@code port}), the pool's JDBC URL must name that host and port, as for the
 * {@code jdbc:secrets:} driver: a URL naming another (any host of a fail-over list), a URL whose host
 * cannot be told, or a data source property that drivers read as a host ({@code PGHOST},
 * {@code serverName}, …) makes {@link #getCredentials()} throw before the pool connects, so the
 * password is never handed over. A provider that does not know its pool ({@link #forPool} not
 * called, or a pool without {@code jdbcUrl}) therefore refuses a secret that names a host. Only the
 * application's own configuration (system properties, environment, configuration file) may allow
 * another host, with {@value HostPinning#ALLOW_OTHER_HOST}{@code =true}.
 *
 * <p>Each call reads the secret from the store, bypassing the client's cache, so that the pool's
 * next connection uses a rotated password at once; a pool opens connections rarely, so this costs
 * one store read per connection. When the store cannot be reached, the client's cached value is
 * used. HikariCP itself retries a connection the database refused, so a rotation that changes the
 * database a moment before the store is covered by the pool's own retries.
 *
 * <p>For {@code credentialsProviderClassName} (HikariCP creates the provider with its no-argument
 * constructor, as Spring Boot's {@code spring.datasource.hikari.credentials-provider-class-name}
 * does) the secret ID is read from {@value #SECRET_ID} and the store from the configuration chain
 * (system properties, environment, {@code secrets.properties}).
 *
 * <p>Requires HikariCP 7 or later on the class path (an optional dependency of this module).
 * {@link #getCredentials()} throws {@link SecretsException} (naming the secret, never the value)
 * when the secret cannot be read or names another host than the pool's URL (its cause an
 * {@link SQLException} with SQLState {@code 28000}), or {@link dev.secrets.InvalidSecretException} when it lacks a field
 * ({@link DatabaseCredentials#from}). Thread-safe.
 */
public final class SecretCredentialsProvider implements HikariCredentialsProvider {
    /** Configuration key of the secret ID, for the no-argument constructor. */
    public static final String SECRET_ID = JdbcSettings.SECRET_ID;

    private final SecretsClient client;
    private final String secretId;
    private final DatabaseCredentials.FieldNames fields;
    private final HikariConfig pool;
    private final BooleanSupplier allowOtherHost;

    /** Reads fields {@code username} and {@code password} of {@code secretId}. */
    public SecretCredentialsProvider(SecretsClient client, String secretId) {
        this(client, secretId, DatabaseCredentials.USERNAME, DatabaseCredentials.PASSWORD);
    }

    /** Reads the named fields of {@code secretId}. */
    public SecretCredentialsProvider(SecretsClient client, String secretId, String usernameField, String passwordField) {
        this(client, secretId, new DatabaseCredentials.FieldNames(usernameField, passwordField), null,
                () -> SecretsConfig.load().bool(HostPinning.ALLOW_OTHER_HOST, false));
    }

    private SecretCredentialsProvider(SecretsClient client, String secretId, DatabaseCredentials.FieldNames fields, HikariConfig pool,
            BooleanSupplier allowOtherHost) {
        this.client = Objects.requireNonNull(client, "client");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.fields = fields;
        this.pool = pool;
        this.allowOtherHost = allowOtherHost;
    }

    /**
     * This provider for {@code pool} (a {@link HikariConfig} or the {@code HikariDataSource} itself):
     * each call checks the pool's JDBC URL and data source properties, as they are when the pool
     * connects, against the secret's {@code host} and {@code port}.
     */
    public SecretCredentialsProvider forPool(HikariConfig pool) {
        return new SecretCredentialsProvider(client, secretId, fields, Objects.requireNonNull(pool, "pool"), allowOtherHost);
    }

    /**
     * Everything from the configuration chain: the secret from {@value #SECRET_ID}, the fields from
     * {@code secrets.jdbc.username-field} / {@code secrets.jdbc.password-field}, the store and keys
     * from {@code secrets.store}, {@code secrets.key}, ….
     *
     * @throws dev.secrets.ConfigurationException when {@value #SECRET_ID} or the store is not set
     */
    public SecretCredentialsProvider() {
        this(SecretsConfig.load());
    }

    // Package-private for tests: the chain given explicitly.
    SecretCredentialsProvider(SecretsConfig config) {
        this(SecretsClient.fromConfig(config), config.require(SECRET_ID), DatabaseCredentials.FieldNames.from(config), null,
                () -> config.bool(HostPinning.ALLOW_OTHER_HOST, false));
    }

    @Override
    public Credentials getCredentials() {
        SecretVersion v;
        try {
            v = client.refresh(secretId);
        } catch (StoreUnavailableException e) {
            v = client.getSecretValue(secretId);
        }
        DatabaseCredentials c = DatabaseCredentials.from(v, fields);
        if ((c.host().isPresent() || c.port().isPresent()) && !allowOtherHost.getAsBoolean()) {
            checkHost(c);
        }
        return Credentials.of(c.username(), c.password());
    }

    private void checkHost(DatabaseCredentials c) {
        String url = pool == null ? null : pool.getJdbcUrl();
        if (url == null) {
            throw new SecretsException("SecretCredentialsProvider refused before connecting: the secret '" + secretId + "' names "
                    + c.address() + ", but " + (pool == null ? "this provider does not know its pool's JDBC URL (create it with "
                    + "forPool(config))" : "the pool has no jdbcUrl") + "; credentials go only to the host and port the secret names "
                    + "(or set " + HostPinning.ALLOW_OTHER_HOST + "=true in the application's configuration to allow another)");
        }
        try {
            HostPinning.checkPoolUrl(url, pool.getDataSourceProperties(), c, secretId);
        } catch (SQLException e) {
            throw new SecretsException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SecretCredentialsProvider[" + secretId + "]";
    }
}
