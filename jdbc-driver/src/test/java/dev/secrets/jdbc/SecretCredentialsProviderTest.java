package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import dev.secrets.testing.IsolatedConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A HikariCP pool on a plain H2 URL, with its credentials from a secret. */
class SecretCredentialsProviderTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final TestStore store = TestStore.create();
    private String h2Url;
    private Connection admin;

    @BeforeEach
    void startDatabase() throws SQLException {
        h2Url = "jdbc:h2:mem:provider" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        admin = DriverManager.getConnection(h2Url, "SA", "");
        execute("CREATE USER APP PASSWORD 'first' ADMIN");
    }

    @AfterEach
    void stopDatabase() throws SQLException {
        execute("SHUTDOWN");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private HikariDataSource pool(SecretCredentialsProvider provider) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2Url);
        config.setCredentialsProvider(provider);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void pool_logsInWithTheSecretsCredentials() throws SQLException {
        store.createDatabaseSecret("h2/app", "APP", "first");

        try (HikariDataSource ds = pool(new SecretCredentialsProvider(store.admin, "h2/app")); Connection c = ds.getConnection()) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
    }

    @Test
    void newConnections_afterARotation_useTheNewPassword() throws SQLException {
        store.createDatabaseSecret("h2/rotating", "APP", "first");
        try (HikariDataSource ds = pool(new SecretCredentialsProvider(store.admin, "h2/rotating"))) {
            try (Connection c = ds.getConnection()) {
                assertThat(currentUser(c)).isEqualTo("APP");
            }

            execute("ALTER USER APP SET PASSWORD 'second'");
            store.put("h2/rotating", "APP", "second");
            ds.getHikariPoolMXBean().softEvictConnections();

            try (Connection c = ds.getConnection()) {
                assertThat(currentUser(c)).isEqualTo("APP");
            }
        }
    }

    @Test
    void eachCall_readsTheStore_notAStaleCache() {
        store.createDatabaseSecret("h2/fresh", "APP", "one");
        SecretCredentialsProvider provider = new SecretCredentialsProvider(
                dev.secrets.SecretsClient.builder().store(store.storeUri()).masterKey("default", store.keyUri()).build(), "h2/fresh");
        assertThat(provider.getCredentials().getPassword()).isEqualTo("one");

        store.put("h2/fresh", "APP", "two"); // written by another client: this provider's cache does not know

        assertThat(provider.getCredentials().getPassword()).isEqualTo("two");
    }

    @Test
    void fieldsAndSecret_comeFromTheConfigurationChain_forCredentialsProviderClassName() {
        store.admin.createSecret(CreateSecretRequest.of("h2/fields", SecretKind.GENERIC,
                SecretValue.ofFields(Map.of("login", "APP", "pass", "first"))));
        SecretsConfig config = IsolatedConfig.builder()
                .setAll(store.settings())
                .set(SecretCredentialsProvider.SECRET_ID, "h2/fields")
                .set("secrets.jdbc.username-field", "login")
                .set("secrets.jdbc.password-field", "pass")
                .build();

        Credentials credentials = new SecretCredentialsProvider(config).getCredentials();

        assertThat(credentials.getUsername()).isEqualTo("APP");
        assertThat(credentials.getPassword()).isEqualTo("first");
    }

    @Test
    void secretWithoutPassword_failsNamingTheField_withoutValues() {
        String canary = TestStore.canary();
        store.admin.createSecret(CreateSecretRequest.of("h2/half", SecretKind.GENERIC,
                SecretValue.ofFields(Map.of("username", "APP", "token", canary))));
        SecretCredentialsProvider provider = new SecretCredentialsProvider(store.admin, "h2/half");

        assertThatThrownBy(provider::getCredentials)
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("secret 'h2/half'")
                .hasMessageContaining("'password'")
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
        assertThat(provider.toString()).isEqualTo("SecretCredentialsProvider[h2/half]");
    }
}
