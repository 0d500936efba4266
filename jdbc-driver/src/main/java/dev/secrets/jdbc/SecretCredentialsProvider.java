package dev.secrets.jdbc;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;
import dev.secrets.DatabaseCredentials;
import dev.secrets.JdbcSettings;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import dev.secrets.StoreUnavailableException;
import java.util.Objects;

/**
 * Gives a HikariCP pool that uses the database's own URL ({@code jdbc:postgresql:…}) its user name
 * and password from a secret, read again for every new physical connection:
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db:5432/app");
 * config.setCredentialsProvider(new SecretCredentialsProvider(client, "prod/app-db"));
 * }</pre>
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
 * when the secret cannot be read, or {@link dev.secrets.InvalidSecretException} when it lacks a field
 * ({@link DatabaseCredentials#from}). Thread-safe.
 */
public final class SecretCredentialsProvider implements HikariCredentialsProvider {
    /** Configuration key of the secret ID, for the no-argument constructor. */
    public static final String SECRET_ID = JdbcSettings.SECRET_ID;

    private final SecretsClient client;
    private final String secretId;
    private final DatabaseCredentials.FieldNames fields;

    /** Reads fields {@code username} and {@code password} of {@code secretId}. */
    public SecretCredentialsProvider(SecretsClient client, String secretId) {
        this(client, secretId, DatabaseCredentials.USERNAME, DatabaseCredentials.PASSWORD);
    }

    /** Reads the named fields of {@code secretId}. */
    public SecretCredentialsProvider(SecretsClient client, String secretId, String usernameField, String passwordField) {
        this.client = Objects.requireNonNull(client, "client");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.fields = new DatabaseCredentials.FieldNames(usernameField, passwordField);
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
        this(SecretsClient.fromConfig(config), config.require(SECRET_ID), DatabaseCredentials.FieldNames.from(config));
    }

    private SecretCredentialsProvider(SecretsClient client, String secretId, DatabaseCredentials.FieldNames fields) {
        this(client, secretId, fields.username(), fields.password());
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
        return Credentials.of(c.username(), c.password());
    }

    @Override
    public String toString() {
        return "SecretCredentialsProvider[" + secretId + "]";
    }
}
