package dev.secrets.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.secrets.CreateSecretRequest;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretsClient;
import dev.secrets.jdbc.SecretsDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDBC driver's overhead on an embedded H2 in-memory database whose user has a real password.
 *
 * <ul>
 *   <li>{@code connect}: a new physical connection (opened, then closed) through
 *       {@code jdbc:secrets:h2:mem:…} with the secret ID as {@code user} — the secret is read
 *       through the client's cache — against {@code org.h2.Driver.connect} on {@code jdbc:h2:mem:…}
 *       with the same user and password.
 *   <li>{@code poolNewConnection}: what a HikariCP pool does through the driver — open a new physical
 *       connection, as under {@code maxLifetime} churn or after a rotation: the pool (one
 *       connection) has its connection soft-evicted, as {@code maxLifetime} does, and
 *       {@code getConnection()} waits while the pool's own thread opens the next one through the
 *       driver; then {@code close()}. Against the same pool configuration on the direct URL. (A
 *       {@code getConnection}/{@code close} of a filled pool, measured before, never reaches the
 *       driver: the pool hands out the real connection it holds.)
 * </ul>
 *
 * <p>Targets: {@code secrets} ≤ 1.05 × {@code direct} for both.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar JdbcConnectBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JdbcConnectBenchmark {
    private static final String SECRET_ID = "bench/app-db";
    private static final String USER = "APP";
    private static final String PASSWORD = "bench-password-1";

    /** {@code secrets}: through {@code jdbc:secrets:}; {@code direct}: straight to H2. */
    @Param({"secrets", "direct"})
    public String variant;

    private Path dir;
    private Connection keepAlive;
    private Driver driver;
    private String url;
    private Properties props;
    private HikariDataSource pool;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Fixtures.tempDir("jdbc");
        Path key = dir.resolve("master.key");
        Files.writeString(key, Base64.getEncoder().encodeToString(Fixtures.MASTER_KEY));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String store = "file:" + dir.resolve("store");
        try (SecretsClient writer = Fixtures.client(store)) {
            writer.createSecret(CreateSecretRequest.of(SECRET_ID, SecretKind.DATABASE,
                    SecretValue.ofFields(Map.of("username", USER, "password", PASSWORD, "engine", "h2"))));
        }

        String h2 = "h2:mem:bench-" + variant + ";DB_CLOSE_DELAY=-1";
        Driver h2Driver = new org.h2.Driver();
        keepAlive = h2Driver.connect("jdbc:" + h2, new Properties());
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE USER " + USER + " PASSWORD '" + PASSWORD + "' ADMIN");
        }

        props = new Properties();
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("bench-" + variant);
        cfg.setMaximumPoolSize(1);
        cfg.setMinimumIdle(1);
        if (variant.equals("secrets")) {
            driver = SecretsDriver.instance();
            url = "jdbc:secrets:" + h2;
            props.setProperty("user", SECRET_ID);
            props.setProperty("secrets.store", store);
            props.setProperty("secrets.key", "file:" + key);
            cfg.setJdbcUrl(url);
            cfg.setUsername(SECRET_ID);
            cfg.addDataSourceProperty("secrets.store", store);
            cfg.addDataSourceProperty("secrets.key", "file:" + key);
        } else {
            driver = h2Driver;
            url = "jdbc:" + h2;
            props.setProperty("user", USER);
            props.setProperty("password", PASSWORD);
            cfg.setJdbcUrl(url);
            cfg.setUsername(USER);
            cfg.setPassword(PASSWORD);
        }
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        pool = new HikariDataSource(cfg);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        pool.close();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
        Fixtures.deleteTree(dir);
    }

    private Connection open() throws SQLException {
        return driver.connect(url, props);
    }

    @Benchmark
    public boolean connect() throws SQLException {
        try (Connection c = open()) {
            return c.isClosed();
        }
    }

    @Benchmark
    public boolean poolNewConnection() throws SQLException {
        pool.getHikariPoolMXBean().softEvictConnections(); // the idle connection is closed; the pool opens a new one
        try (Connection c = pool.getConnection()) {
            return c.isClosed();
        }
    }
}
