package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.SecretsConfig;
import dev.secrets.jdbc.internal.HostPinning;
import dev.secrets.testing.FakePostgres;
import dev.secrets.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HikariCP credentials provider pins the secret's host (issue #14, finding 5 for the pool path;
 * docs/security.md, attacker 3): a pool whose JDBC URL names another host or port than the secret's
 * {@code host}/{@code port} never gets the password. The other "host" is {@link FakePostgres} on
 * another port of 127.0.0.1, which asks for the password in cleartext and records what it gets.
 */
class SecretCredentialsProviderPostgresIT {
    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final TestStore store = TestStore.create();

    /** A role owning a fresh database, and a secret naming them at the real server's host and port. */
    private String secretAtTheRealServer(String secretId, String host, String password) throws SQLException {
        String role = "provider_" + NAMES.incrementAndGet();
        String db = "provider_db_" + NAMES.get();
        POSTGRES.createRole(role, password, true);
        POSTGRES.createDatabase(db);
        store.createDatabaseSecret(secretId, Map.of("username", role, "password", password, "host", host,
                "port", String.valueOf(POSTGRES.port()), "dbname", db));
        return db;
    }

    private static HikariConfig poolConfig(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(5_000);
        return config;
    }

    private static String currentUser(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The application's own configuration (what the no-argument constructor reads), with or without the opt-in. */
    private SecretCredentialsProvider configured(String secretId, boolean allowOtherHost) {
        SecretsConfig.Builder b = SecretsConfig.builder().environment(Map.of()).systemProperties(new Properties()).classpathFile(false)
                .setAll(store.settings()).set(SecretCredentialsProvider.SECRET_ID, secretId);
        if (allowOtherHost) {
            b.set(HostPinning.ALLOW_OTHER_HOST, "true");
        }
        return new SecretCredentialsProvider(b.build());
    }

    @Test
    void poolAtTheSecretsHost_connects() throws SQLException {
        String db = secretAtTheRealServer("pg/pinned", POSTGRES.host(), TestStore.canary());
        HikariConfig config = poolConfig(POSTGRES.jdbcUrl(db));
        config.setCredentialsProvider(new SecretCredentialsProvider(store.admin, "pg/pinned").forPool(config));

        try (HikariDataSource ds = new HikariDataSource(config)) {
            assertThat(currentUser(ds)).startsWith("provider_");
        }
    }

    @Test
    void poolUrlAtAnotherPort_isRefusedBeforeConnecting_andNoPasswordArrives() throws Exception {
        String canary = TestStore.canary();
        String db = secretAtTheRealServer("pg/payments", POSTGRES.host(), canary);
        try (FakePostgres attacker = new FakePostgres()) {
            HikariConfig config = poolConfig("jdbc:postgresql://127.0.0.1:" + attacker.port() + "/" + db + "?sslmode=disable");
            config.setCredentialsProvider(new SecretCredentialsProvider(store.admin, "pg/payments").forPool(config));

            assertThatThrownBy(() -> new HikariDataSource(config).close())
                    .satisfies(e -> TestStore.assertNoCanary(e, canary))
                    .hasRootCauseInstanceOf(SQLException.class)
                    .rootCause()
                    .hasMessageContaining("SecretCredentialsProvider refused before connecting")
                    .hasMessageContaining("names port " + attacker.port() + ", but the secret 'pg/payments' names 127.0.0.1:" + POSTGRES.port())
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
            assertThat(attacker.connections()).as("connections to the attacker's port").isZero();
            assertThat(attacker.passwords()).isEmpty();
        }
    }

    @Test
    void dataSourcePropertyMovingTheHost_isRefused() throws Exception {
        String db = secretAtTheRealServer("pg/moved", POSTGRES.host(), TestStore.canary());
        try (FakePostgres attacker = new FakePostgres()) {
            HikariConfig config = poolConfig(POSTGRES.jdbcUrl(db));
            config.addDataSourceProperty("PGPORT", String.valueOf(attacker.port()));
            config.setCredentialsProvider(new SecretCredentialsProvider(store.admin, "pg/moved").forPool(config));

            assertThatThrownBy(() -> new HikariDataSource(config).close())
                    .rootCause().hasMessageContaining("connection property 'PGPORT' could move the connection to another host");
            assertThat(attacker.connections()).isZero();
        }
    }

    @Test
    void providerThatDoesNotKnowItsPool_refusesASecretNamingAHost() throws Exception {
        String canary = TestStore.canary();
        secretAtTheRealServer("pg/unbound", POSTGRES.host(), canary);
        try (FakePostgres attacker = new FakePostgres()) {
            HikariConfig config = poolConfig("jdbc:postgresql://127.0.0.1:" + attacker.port() + "/x");
            config.setCredentialsProvider(configured("pg/unbound", false)); // as credentialsProviderClassName builds it

            assertThatThrownBy(() -> new HikariDataSource(config).close())
                    .hasMessageContaining("does not know its pool's JDBC URL (create it with forPool(config))")
                    .hasMessageContaining(HostPinning.ALLOW_OTHER_HOST + "=true")
                    .satisfies(e -> TestStore.assertNoCanary(e, canary));
            assertThat(attacker.connections()).isZero();
        }
    }

    @Test
    void withTheApplicationsOptIn_theProviderHandsOverCredentialsForAnotherHost() throws Exception {
        // The secret names "localhost"; the pool's URL says 127.0.0.1 (the same server, spelt otherwise).
        String db = secretAtTheRealServer("pg/elsewhere", "localhost", TestStore.canary());
        HikariConfig refused = poolConfig(POSTGRES.jdbcUrl(db));
        refused.setCredentialsProvider(configured("pg/elsewhere", false).forPool(refused));
        assertThatThrownBy(() -> new HikariDataSource(refused).close())
                .rootCause().hasMessageContaining("names host 127.0.0.1, but the secret 'pg/elsewhere' names localhost");

        HikariConfig allowed = poolConfig(POSTGRES.jdbcUrl(db));
        allowed.setCredentialsProvider(configured("pg/elsewhere", true).forPool(allowed));
        try (HikariDataSource ds = new HikariDataSource(allowed)) {
            assertThat(currentUser(ds)).startsWith("provider_");
        }
    }

    @Test
    void withTheOptIn_theAttackersPortGetsThePassword_whichIsWhatThePinPrevents() throws Exception {
        String canary = TestStore.canary();
        secretAtTheRealServer("pg/exposed", POSTGRES.host(), canary);
        try (FakePostgres attacker = new FakePostgres()) {
            HikariConfig config = poolConfig("jdbc:postgresql://127.0.0.1:" + attacker.port() + "/x?sslmode=disable");
            config.setCredentialsProvider(configured("pg/exposed", true).forPool(config));

            assertThatThrownBy(() -> new HikariDataSource(config).close()).isNotNull(); // the fake refuses the login
            assertThat(attacker.passwords()).contains(canary);
        }
    }
}
