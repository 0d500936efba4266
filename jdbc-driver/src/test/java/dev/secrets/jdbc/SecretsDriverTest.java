package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against an in-memory H2 database whose users have real passwords. */
class SecretsDriverTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final TestStore store = TestStore.create();
    private String h2Url;
    private Connection admin;

    @BeforeEach
    void startDatabase() throws SQLException {
        h2Url = "jdbc:h2:mem:driver" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        admin = DriverManager.getConnection(h2Url, "SA", "");
    }

    @AfterEach
    void stopDatabase() throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private void createUser(String name, String password) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE USER " + name + " PASSWORD '" + password + "' ADMIN");
        }
    }

    private void setPassword(String name, String password) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("ALTER USER " + name + " SET PASSWORD '" + password + "'");
        }
    }

    private String secretsUrl() {
        return "jdbc:secrets:" + h2Url.substring("jdbc:".length());
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void driverManager_connectsWithTheSecretsCredentials_andReturnsTheRealConnection() throws SQLException {
        createUser("APP", "first-password");
        store.createDatabaseSecret("prod/app-db", "APP", "first-password");

        try (Connection c = DriverManager.getConnection(secretsUrl(), store.props("prod/app-db"))) {
            assertThat(currentUser(c)).isEqualTo("APP");
            assertThat(c.getClass().getName()).startsWith("org.h2.");
            assertThat(c.getMetaData().getURL()).startsWith("jdbc:h2:mem:");
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
        }
    }

    @Test
    void hikari_withOnlyJdbcUrlAndSecretIdAsUsername_servesQueries() throws SQLException {
        createUser("APP", "pool-password");
        store.createDatabaseSecret("h2/pool", "APP", "pool-password");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(secretsUrl());
        config.setUsername("h2/pool");
        store.settings().forEach(config::addDataSourceProperty);

        try (HikariDataSource ds = new HikariDataSource(config); Connection c = ds.getConnection()) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
    }

    @Test
    void secretIdProperty_andUrlParameter_nameTheSecretWhenNoUserIsGiven() throws SQLException {
        createUser("APP", "pw-1");
        store.createDatabaseSecret("team/db", "APP", "pw-1");
        Properties byProperty = new Properties();
        byProperty.putAll(store.settings());
        byProperty.setProperty("secretId", "team/db");

        try (Connection c = DriverManager.getConnection(secretsUrl(), byProperty)) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
        Properties noUser = new Properties();
        noUser.putAll(store.settings());
        try (Connection c = DriverManager.getConnection(secretsUrl() + ";secretId=team/db", noUser)) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
    }

    @Test
    void otherProperties_passThroughToTheRealDriver() throws SQLException {
        createUser("APP", "pw");
        store.createDatabaseSecret("app", "APP", "pw");
        Properties props = store.props("app");
        props.setProperty("MODE", "PostgreSQL");

        try (Connection c = DriverManager.getConnection(secretsUrl(), props);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("PostgreSQL");
        }
    }

    @Test
    void usernameAndPasswordFields_areConfigurable() throws SQLException {
        createUser("APP", "pw-x");
        store.admin.createSecret(CreateSecretRequest.of("generic/creds", SecretKind.GENERIC,
                SecretValue.ofFields(Map.of("login", "APP", "pass", "pw-x"))));
        Properties props = store.props("generic/creds");
        props.setProperty("secrets.jdbc.username-field", "login");
        props.setProperty("secrets.jdbc.password-field", "pass");

        try (Connection c = DriverManager.getConnection(secretsUrl(), props)) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
    }

    @Test
    void acceptsUrl_isTrueOnlyForSecretsUrls_soOtherDriversAreUntouched() throws SQLException {
        Driver driver = SecretsDriver.instance();

        assertThat(driver.acceptsURL("jdbc:secrets:postgresql://h/db")).isTrue();
        assertThat(driver.acceptsURL("JDBC:SECRETS:h2:mem:x")).isTrue();
        assertThat(driver.acceptsURL(h2Url)).isFalse();
        assertThat(driver.acceptsURL("jdbc:postgresql://h/db")).isFalse();
        assertThat(driver.acceptsURL(null)).isFalse();
        assertThat(driver.connect(h2Url, new Properties())).isNull();
        assertThat(DriverManager.getDriver(h2Url)).isNotInstanceOf(SecretsDriver.class);
        assertThat(DriverManager.getDriver(secretsUrl())).isSameAs(SecretsDriver.instance());
    }

    @Test
    void instanceMadeByATool_connectsLikeTheRegisteredOne() throws SQLException {
        createUser("APP", "pw-tool");
        store.createDatabaseSecret("tool", "APP", "pw-tool");

        try (Connection c = new SecretsDriver().connect(secretsUrl(), store.props("tool"))) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
    }

    @Test
    void driver_isRegisteredExactlyOnce() {
        new SecretsDriver();

        long registered = Collections.list(DriverManager.getDrivers()).stream().filter(d -> d instanceof SecretsDriver).count();
        assertThat(registered).isEqualTo(1);
    }

    @Test
    void rotatedPassword_isReadAgainFromTheStore_whenTheDatabaseRefusesTheCachedOne() throws SQLException {
        createUser("APP", "old-password");
        store.createDatabaseSecret("rotating", "APP", "old-password");
        String url = RecordingDriver.secretsUrl(h2Url);
        try (Connection c = DriverManager.getConnection(url, store.props("rotating"))) {
            assertThat(currentUser(c)).isEqualTo("APP"); // the driver's client now caches the old value
        }

        setPassword("APP", "new-password");
        store.put("rotating", "APP", "new-password");

        try (Connection c = DriverManager.getConnection(url, store.props("rotating"))) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
        // Three physical connects: the first connection; then the cached password, refused; then the one read again.
        assertThat(RecordingDriver.attempts(h2Url)).extracting(RecordingDriver.Attempt::password, RecordingDriver.Attempt::accepted)
                .containsExactly(tuple("old-password", true), tuple("old-password", false), tuple("new-password", true));
    }

    @Test
    void retries_coverTheMomentWhenTheDatabaseIsAheadOfTheStore() throws Exception {
        createUser("APP", "old-password");
        store.createDatabaseSecret("single-user", "APP", "old-password");
        setPassword("APP", "new-password");
        // The rotator moves CURRENT only after the database has the new password: here, once the driver has
        // been refused twice (the second time after finding nothing newer in the store, waiting, and looking again).
        RecordingDriver.onRefusal(h2Url, 2, () -> store.put("single-user", "APP", "new-password"));

        try (Connection c = DriverManager.getConnection(RecordingDriver.secretsUrl(h2Url), store.props("single-user"))) {
            assertThat(currentUser(c)).isEqualTo("APP");
        }
        assertThat(RecordingDriver.attempts(h2Url)).extracting(RecordingDriver.Attempt::password, RecordingDriver.Attempt::accepted)
                .containsExactly(tuple("old-password", false), tuple("old-password", false), tuple("new-password", true));
    }

    // The retry budget's timing is tested on an injected clock in ConnectorRetryTest.

    @Test
    void maxRetries_boundsTheTries() throws SQLException {
        createUser("APP", "real");
        store.createDatabaseSecret("wrong-fast", "APP", "not-real");
        Properties props = store.props("wrong-fast");
        props.setProperty("secrets.jdbc.max-retries", "2");

        assertThatThrownBy(() -> DriverManager.getConnection(secretsUrl(), props))
                .hasMessageContaining("2 retries");
    }

    @Test
    void wrongSecretId_failsWithTheIdAndNoPassword() {
        String canary = TestStore.canary();
        store.createDatabaseSecret("exists", "APP", canary);

        assertThatThrownBy(() -> DriverManager.getConnection(secretsUrl(), store.props("does/not/exist")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("secret 'does/not/exist'")
                .hasMessageContaining("not found")
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
    }

    @Test
    void missingSecretId_saysHowToNameTheSecret() {
        Properties props = new Properties();
        props.putAll(store.settings());

        assertThatThrownBy(() -> DriverManager.getConnection(secretsUrl(), props))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no secret ID")
                .hasMessageContaining("user");
    }

    @Test
    void secretWithoutPassword_failsNamingTheField() {
        String canary = TestStore.canary();
        store.admin.createSecret(CreateSecretRequest.of("half", SecretKind.GENERIC,
                SecretValue.ofFields(Map.of("username", "APP", "token", canary))));

        assertThatThrownBy(() -> DriverManager.getConnection(secretsUrl(), store.props("half")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("secret 'half'")
                .hasMessageContaining("no 'password' field")
                .hasMessageContaining("secrets.jdbc.password-field")
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
    }

    @Test
    void realDriverMissing_saysWhichDriverToAdd() {
        String canary = TestStore.canary();
        store.createDatabaseSecret("ora", "SCOTT", canary);
        store.createDatabaseSecret("ora/endpoint", Map.of("username", "SCOTT", "password", canary, "host", "127.0.0.1", "dbname", "XE"));

        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:oracle", store.props("ora/endpoint")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no JDBC driver for jdbc:oracle:thin:@//127.0.0.1/XE")
                .satisfies(e -> TestStore.assertNoCanary(e, canary));

        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:oracle:thin:@//127.0.0.1:1521/XE", store.props("ora")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no JDBC driver for jdbc:oracle:thin:@//127.0.0.1:1521/XE")
                .hasMessageContaining("oracle")
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
    }

    @Test
    void unreachableStore_failsWithTheStoreAndNoPassword() throws Exception {
        Path notADirectory = Files.createTempFile("secrets-jdbc", ".file");
        Properties props = store.props("app");
        props.setProperty("secrets.store", "file:" + notADirectory.resolve("store"));

        assertThatThrownBy(() -> DriverManager.getConnection(secretsUrl(), props))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("secret 'app'")
                .hasMessageContaining(notADirectory.toString());
    }

    @Test
    void passwordsInUrls_areMaskedInMessages() {
        String canary = TestStore.canary();
        Properties props = new Properties();
        props.putAll(store.settings());

        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:secrets:postgresql://u:" + canary + "@h/db?password=" + canary, props))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> TestStore.assertNoCanary(e, canary));
    }
}
