package dev.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.SecretValue;
import dev.secrets.jdbc.SecretCredentialsProvider;
import dev.secrets.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** A Spring Boot application whose HikariCP DataSource takes its credentials from a secret, against a real PostgreSQL. */
class DataSourcePostgresIT {
    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String WHO = "SELECT pg_backend_pid()::text, current_user::text";

    @TempDir
    Path tmp;
    FileStore store;

    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, SecretsAutoConfiguration.class,
            SecretsDataSourceAutoConfiguration.class})
    static class DataSourceApplication {
    }

    @BeforeEach
    void createStore() {
        store = FileStore.create(tmp);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A fresh role and a database it owns. */
    private static String database(String role, String password) throws SQLException {
        String db = "spring_" + NAMES.incrementAndGet();
        POSTGRES.createRole(role, password, true);
        POSTGRES.createDatabase(db);
        try (Connection c = POSTGRES.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db + " OWNER TO " + role);
        }
        return db;
    }

    private static void setPassword(String role, String password) throws SQLException {
        try (Connection c = POSTGRES.adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        }
    }

    private ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of(store.args(
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--spring.datasource.hikari.connection-timeout=20000",
                "--spring.datasource.hikari.max-lifetime=30000")));
        all.addAll(List.of(args));
        return FileStore.run(DataSourceApplication.class, all.toArray(new String[0]));
    }

    @Test
    void secretsUrl_withSecretIdAsUsername_servesQueriesAcrossPasswordChanges() throws Exception {
        String role = "boot_" + NAMES.incrementAndGet();
        String db = database(role, "password-0");
        store.database("pg/boot-app", Map.of("username", role, "password", "password-0"));

        try (ConfigurableApplicationContext ctx = start(
                "--spring.datasource.url=jdbc:secrets:" + POSTGRES.jdbcUrl(db).substring("jdbc:".length()),
                "--spring.datasource.username=pg/boot-app")) {
            HikariDataSource ds = (HikariDataSource) ctx.getBean(DataSource.class);
            assertThat(ds.getDriverClassName()).isEqualTo("dev.secrets.jdbc.SecretsDriver");
            rotateUnderLoad(ds, role, "pg/boot-app", 5);
        }
    }

    @Test
    void credentialsProvider_onTheDatabasesOwnUrl_servesQueriesAcrossPasswordChanges() throws Exception {
        String role = "boot_" + NAMES.incrementAndGet();
        String db = database(role, "password-0");
        store.database("pg/boot-provider", Map.of("username", role, "password", "password-0"));

        try (ConfigurableApplicationContext ctx = start(
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(db),
                "--secrets.jdbc.secret-id=pg/boot-provider")) {
            HikariDataSource ds = (HikariDataSource) ctx.getBean(DataSource.class);
            assertThat(ds.getCredentialsProvider()).isInstanceOf(SecretCredentialsProvider.class);
            rotateUnderLoad(ds, role, "pg/boot-provider", 5);
        }
    }

    /**
     * Single-user rotations while 4 threads query: the database gets the new password first, the
     * store's CURRENT a moment later, and the pool replaces its connections in between.
     */
    private void rotateUnderLoad(HikariDataSource ds, String role, String secretId, int rotations) throws Exception {
        try (Load load = new Load(ds, 4)) {
            load.awaitQueries(1);
            for (int i = 1; i <= rotations; i++) {
                Set<String> before = load.connectionsSeen();
                String password = "password-" + i;
                setPassword(role, password);
                ds.getHikariPoolMXBean().softEvictConnections();
                store.client.putSecretValue(secretId, SecretValue.ofFields(Map.of("username", role, "password", password)));
                load.awaitNewConnection(before, Duration.ofSeconds(30));
            }
            load.stop();
            assertThat(load.failures()).as("failed queries (first: %s)", load.firstFailure()).isZero();
            System.out.println("spring datasource " + secretId + ": " + rotations + " password changes, " + load.queries()
                    + " queries, " + load.connectionsSeen().size() + " connections, 0 failures");
        }
    }

    /** Continuous queries from several threads, recording the physical connections that served them. */
    private static final class Load implements AutoCloseable {
        private final DataSource pool;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong queries = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private final Set<String> connections = ConcurrentHashMap.newKeySet();
        private final ExecutorService threads;
        private final List<Future<?>> workers = new ArrayList<>();

        Load(DataSource pool, int threadCount) {
            this.pool = pool;
            this.threads = Executors.newFixedThreadPool(threadCount);
            for (int i = 0; i < threadCount; i++) {
                workers.add(threads.submit(this::work));
            }
        }

        private void work() {
            while (running.get()) {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(WHO)) {
                    rs.next();
                    connections.add(rs.getString(1));
                    queries.incrementAndGet();
                } catch (SQLException | RuntimeException e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            }
        }

        Set<String> connectionsSeen() {
            return Set.copyOf(connections);
        }

        long queries() {
            return queries.get();
        }

        long failures() {
            return failures.get();
        }

        Throwable firstFailure() {
            return firstFailure.get();
        }

        void awaitQueries(long n) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(30);
            while (queries.get() < n) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no query succeeded within 30 s; first failure: " + firstFailure.get());
                }
                Thread.sleep(5);
            }
        }

        /** Waits until a connection not in {@code before} served a query (it logged in with the new password). */
        void awaitNewConnection(Set<String> before, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (before.containsAll(connections)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no new connection within " + timeout + "; first failure: " + firstFailure.get());
                }
                Thread.sleep(5);
            }
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            threads.shutdownNow();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
