package dev.secrets.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.server.AccessKeys;
import dev.secrets.server.testing.ServerFixture;
import dev.secrets.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * AWS's JDBC wrapper {@code com.amazonaws.secretsmanager:aws-secretsmanager-jdbc} 2.0.2, unchanged,
 * on a real server and the real PostgreSQL of the tests, under a live HikariCP pool: its PostgreSQL
 * driver ({@code jdbc-secretsmanager:postgresql://…}, the secret's name as user) reads the secret
 * through {@code secrets serve}, with the endpoint and region given by its documented settings
 * {@code drivers.vpcEndpointUrl} and {@code drivers.vpcEndpointRegion} (system properties, read by its
 * {@code JDBCSecretCacheBuilderProvider}) and the access key by the AWS SDK's own
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties. Four threads query without a
 * pause while the server's {@code postgresql} rotator changes the role's password 20 times
 * (RotateSecret through the server). After each rotation the old password is refused by PostgreSQL
 * and the pool's connections are evicted, so a new connection must log in with the new password:
 * the wrapper gets 28P01 with its cached (old) secret, refreshes it (its {@code refreshNow}, which
 * waits 2.5 to 5 s first) and retries. No query may fail.
 */
@ExtendWith(PostgresServer.class)
class JdbcWrapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROTATIONS = 20;
    private static final int WORKERS = 4;
    private static final String SECRET = "app/pg";
    private static final String WRAPPER_DRIVER = "com.amazonaws.secretsmanager.sql.AWSSecretsManagerPostgreSQLDriver";
    private static final List<String> PROPERTIES = List.of("drivers.vpcEndpointUrl", "drivers.vpcEndpointRegion",
            "aws.accessKeyId", "aws.secretAccessKey");
    static final String READ_APP_SECRETS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"secretsmanager:GetSecretValue\",\"secretsmanager:DescribeSecret\"],"
            + "\"Resource\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/*\"}]}";

    private final PostgresServer postgres;

    @TempDir
    Path dir;

    JdbcWrapperTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    /** What the JVM held before: the s3proxy fixture of other tests in this JVM puts its own credentials in aws.*. */
    private static final java.util.Map<String, String> BEFORE = new java.util.HashMap<>();

    @org.junit.jupiter.api.BeforeAll
    static void keepProperties() {
        PROPERTIES.forEach(k -> BEFORE.put(k, System.getProperty(k)));
    }

    @AfterAll
    static void restoreProperties() {
        BEFORE.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void hikariPool_onTheWrappersDriver_twentyRotationsByTheServer_noQueryFails() throws Exception {
        String role = "wrapped_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String firstPassword = "first-" + UUID.randomUUID();
        postgres.createRole(role, firstPassword, true);

        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            // The shape the wrapper (and an RDS-managed secret) has: username, password, host, port, dbname, engine.
            // Created as a database secret (with the library, as `secrets create` does) so the postgresql rotator takes it.
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("engine", "postgres");
            fields.put("host", postgres.host());
            fields.put("port", postgres.port());
            fields.put("dbname", "postgres");
            fields.put("username", role);
            fields.put("password", firstPassword);
            fx.client.createSecret(CreateSecretRequest.of(SECRET, SecretKind.DATABASE, SecretValue.ofFields(fields)));
            SecretsManagerClient admin = fx.sdk(fx.admin);
            JsonNode asServed = JSON.readTree(admin.getSecretValue(b -> b.secretId(SECRET)).secretString());
            assertThat(asServed.path("username").asText()).isEqualTo(role);
            assertThat(asServed.path("engine").asText()).isEqualTo("postgres");

            AccessKeys.Pair appKey = fx.keys.create("app-jdbc", READ_APP_SECRETS);
            System.setProperty("drivers.vpcEndpointUrl", fx.endpoint().toString());
            System.setProperty("drivers.vpcEndpointRegion", "us-east-1");
            System.setProperty("aws.accessKeyId", appKey.accessKeyId());
            System.setProperty("aws.secretAccessKey", appKey.secretAccessKey());

            HikariConfig config = new HikariConfig();
            config.setDriverClassName(WRAPPER_DRIVER);
            config.setJdbcUrl("jdbc-secretsmanager:postgresql://" + postgres.host() + ":" + postgres.port() + "/postgres");
            config.setUsername(SECRET);
            config.setMaximumPoolSize(WORKERS);
            config.setConnectionTimeout(30_000);
            config.setPoolName("aws-jdbc-wrapper");

            AtomicLong queries = new AtomicLong();
            Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            long started = System.nanoTime();
            try (HikariDataSource pool = new HikariDataSource(config); Connection watch = postgres.adminConnection()) {
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < WORKERS; i++) {
                    Thread t = new Thread(() -> {
                        while (running.get()) {
                            pause(); // continuous, yet leaving the two cores to PostgreSQL, the server and the rotator
                            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                                 ResultSet rs = s.executeQuery("SELECT current_user")) {
                                rs.next();
                                if (!role.equals(rs.getString(1))) {
                                    failures.computeIfAbsent("wrong user", k -> new AtomicLong()).incrementAndGet();
                                }
                                queries.incrementAndGet();
                            } catch (SQLException | RuntimeException e) {
                                // the type and SQLState only: a message could name a user
                                String key = e.getClass().getName() + (e instanceof SQLException q ? " " + q.getSQLState() : "");
                                failures.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                            }
                        }
                    }, "query-" + i);
                    t.start();
                    workers.add(t);
                }

                String password = firstPassword;
                for (int r = 1; r <= ROTATIONS; r++) {
                    if (r == 1) { // the rotator is named once, as a Lambda ARN would be; later rotations reuse it
                        admin.rotateSecret(b -> b.secretId(SECRET).rotationLambdaARN("postgresql")
                                .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
                    } else {
                        admin.rotateSecret(b -> b.secretId(SECRET));
                    }
                    String next = JSON.readTree(admin.getSecretValue(b -> b.secretId(SECRET)).secretString()).path("password").asText();
                    assertThat(next).as("rotation " + r + " set a new password").isNotEqualTo(password);
                    assertThat(login(role, password)).as("the old password after rotation " + r).isEqualTo("refused 28P01");
                    password = next;

                    // every pooled connection is replaced: each new one logs in through the wrapper with the new password
                    Set<Integer> before = backends(watch, role);
                    pool.getHikariPoolMXBean().softEvictConnections();
                    awaitNewBackend(watch, role, before, Duration.ofSeconds(60));
                }
                assertThat(login(role, password)).isEqualTo(role);
                long queriesAtEnd = queries.get();
                Thread.sleep(200);
                running.set(false);
                for (Thread t : workers) {
                    t.join(60_000);
                }
                assertThat(queries.get()).as("queries kept running to the end").isGreaterThan(queriesAtEnd);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("JdbcWrapperTest: %d rotations, %d queries in %d s, failures %s%n", ROTATIONS, queries.get(),
                    took.toSeconds(), failures);
            assertThat(failures).as("failed queries by type").isEmpty();
            assertThat(queries.get()).isGreaterThan(ROTATIONS * 10L);
            // Only the wrapper's cache sends DescribeSecret here: it refreshed its secret at least once per rotation
            // (its cache TTL is an hour, so only the retry after a refused login makes it ask).
            assertThat(served(fx, "DescribeSecret 200")).isGreaterThanOrEqualTo(ROTATIONS);
        }
    }

    /**
     * A secret made the AWS way — CreateSecret with the credentials as a JSON {@code SecretString} — is
     * rotated by the postgresql rotator through RotateSecret, and stays a JSON SecretString. (Before,
     * the rotator took only key/value secrets and RotateSecret answered InvalidRequestException.)
     */
    @Test
    void aJsonSecretMadeThroughCreateSecret_isRotatedByThePostgresqlRotator() throws Exception {
        String user = "jsontext_" + Long.toHexString(System.nanoTime());
        postgres.createRole(user, "initial-Password-1", true);
        try (ServerFixture fx = ServerFixture.start("file:" + dir.resolve("store"))) {
            SecretsManagerClient admin = fx.sdk(fx.admin);
            String json = "{\"engine\":\"postgres\",\"host\":\"" + postgres.host() + "\",\"port\":" + postgres.port()
                    + ",\"dbname\":\"postgres\",\"username\":\"" + user + "\",\"password\":\"initial-Password-1\"}";
            admin.createSecret(b -> b.name("app/text-json").secretString(json));
            admin.rotateSecret(b -> b.secretId("app/text-json").rotationLambdaARN("postgresql"));
            JsonNode now = JSON.readTree(admin.getSecretValue(b -> b.secretId("app/text-json")).secretString());
            assertThat(now.path("username").asText()).isEqualTo(user);
            assertThat(now.path("host").asText()).isEqualTo(postgres.host());
            assertThat(now.path("password").asText()).isNotEqualTo("initial-Password-1");
            assertThat(login(user, now.path("password").asText())).isEqualTo(user);
            assertThat(login(user, "initial-Password-1")).isEqualTo("refused 28P01");
        }
    }

    /** Requests the server answered, by "ACTION STATUS", from its /metrics. */
    private static long served(ServerFixture fx, String actionAndStatus) throws Exception {
        java.net.http.HttpResponse<String> m = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.endpoint() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(m.body()).path("byActionAndStatus").path(actionAndStatus).asLong();
    }

    /** The role PostgreSQL says we are, or "refused SQLSTATE". Plain PostgreSQL driver, not the wrapper. */
    private String login(String user, String password) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), user, password);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "refused " + e.getSQLState();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Set<Integer> backends(Connection admin, String role) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (PreparedStatement s = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE usename = ?")) {
            s.setString(1, role);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    /** Waits (bounded) until the role has a session that was not there before: a login with the current password. */
    private static void awaitNewBackend(Connection admin, String role, Set<Integer> before, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Set<Integer> now = backends(admin, role);
            now.removeAll(before);
            if (!now.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the pool made no new connection within " + bound + " after its connections were evicted");
    }
}
