package dev.secrets.testing;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;


/**
 * A real PostgreSQL 15 server for tests, started once per JVM and shared by every test class.
 *
 * <p>Use it as an extension, which starts the server before the class's tests and can inject
 * itself into test constructors and methods:
 *
 * <pre>{@code
 * @ExtendWith(PostgresServer.class)
 * class RotationIT {
 *     @Test
 *     void rotates(PostgresServer postgres) throws SQLException {
 *         postgres.createRole("app", "first-password", true);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * or through {@link #shared()}, which starts the server on first use (also as
 * {@code @RegisterExtension static final PostgresServer POSTGRES = PostgresServer.shared();}).
 *
 * <p><b>What it promises.</b> The server runs the binaries of {@code /usr/lib/postgresql/15/bin}
 * in a fresh temporary directory, listens on a free TCP port of {@code 127.0.0.1} only, and checks
 * passwords for real (SCRAM-SHA-256): a login with a wrong or outdated password is refused with
 * SQLState {@code 28P01}. The superuser is {@code postgres}, with a random password made for this
 * JVM. Durability is switched off ({@code fsync=off}) for speed. The server is stopped and its files
 * are deleted when the JVM exits. When the JVM runs as root (as CI does), the server runs as the
 * {@code postgres} OS user, since PostgreSQL refuses to run as root.
 *
 * <p><b>When PostgreSQL is missing</b>, the tests that need it fail (never skip) with one line
 * naming the command that installs it, {@code ./test}. If the server is installed but fails to
 * start, the error quotes the end of the server's log.
 *
 * <p><b>Sharing.</b> All test classes of a JVM see the same server, so the databases and roles a
 * test creates should have names unique to that test. The PostgreSQL JDBC driver
 * ({@code org.postgresql:postgresql}) must be on the test classpath.
 *
 * <p><b>Thread safety.</b> All methods are thread-safe; concurrent first uses start one server.
 * Every instance is a handle on the same server.
 */
public final class PostgresServer extends DatabaseServer {

    private static final Path BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    /** The driver's connectTimeout, in seconds. */
    private static final String CONNECT_TIMEOUT = "10";
    private static final String SUPERUSER = "postgres";
    private static final String OS_USER = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());

    private static final SharedServer<Running> SERVER =
            new SharedServer<>("PostgreSQL test server", Running::start);
    private static final PostgresServer SHARED = new PostgresServer();

    /** For {@code @ExtendWith(PostgresServer.class)}; code uses {@link #shared()}. */
    private PostgresServer() {
        super(SERVER);
    }

    /**
     * The JVM's server. Returns at once; the server is started by the first method that needs it
     * (or by {@link #beforeAll}).
     */
    public static PostgresServer shared() {
        return SHARED;
    }

    /** The name of the superuser role: {@code postgres}. Does not start the server. */
    @Override
    public String superuser() {
        return SUPERUSER;
    }

    /** A new connection to the {@code postgres} database as the superuser; the caller closes it. */
    public Connection adminConnection() throws SQLException {
        return adminConnection("postgres");
    }

    /**
     * Creates a database owned by the superuser.
     *
     * @return its JDBC URL, as {@link #jdbcUrl(String)}
     * @throws SQLException if it exists already or cannot be created
     */
    public String createDatabase(String name) throws SQLException {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + identifier(name));
        }
        return jdbcUrl(name);
    }

    /**
     * Creates a role.
     *
     * @param password its password, or {@code null} for none
     * @param login whether it may log in (a user) or not (a group)
     * @throws SQLException if it exists already or cannot be created; the message never contains
     *     the password
     */
    public void createRole(String name, String password, boolean login) throws SQLException {
        String sql = "CREATE ROLE " + identifier(name) + (login ? " LOGIN" : " NOLOGIN")
                + (password == null ? "" : " PASSWORD " + literal(password));
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}. */
    @Override
    String url(int port, String database) {
        return urlOf(port, database);
    }

    @Override
    String connectTimeout() {
        return CONNECT_TIMEOUT;
    }

    private static String urlOf(int port, String database) {
        return "jdbc:postgresql://" + ServerSupport.LOOPBACK + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** A quoted identifier: {@code "name"}, case kept, any character allowed. */
    private static String identifier(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a name is required");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal; backslashes are plain characters (standard_conforming_strings is on). */
    private static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** The server process and its files. */
    private static final class Running implements Started {

        private final Path workDir;
        private final Path dataDir;
        private final String osUser;
        private final Process process;
        private final int port;
        private final String password;

        private Running(Path workDir, Path dataDir, String osUser, Process process, int port, String password) {
            this.workDir = workDir;
            this.dataDir = dataDir;
            this.osUser = osUser;
            this.process = process;
            this.port = port;
            this.password = password;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public String password() {
            return password;
        }

        static Running start() {
            for (String tool : List.of("initdb", "postgres", "pg_ctl")) {
                if (!Files.isExecutable(BIN_DIR.resolve(tool))) {
                    throw ServerSupport.unavailable("PostgreSQL 15 is not installed: " + BIN_DIR.resolve(tool)
                            + " is missing (Debian: apt-get install postgresql-15)");
                }
            }
            requireDriver();
            String osUser = ServerSupport.runningAsRoot() ? OS_USER : null;
            if (osUser != null && !ServerSupport.osUserExists(osUser)) {
                throw new IllegalStateException("this JVM runs as root, so PostgreSQL must run as the OS user "
                        + osUser + ", which does not exist (the Debian package creates it)");
            }
            long startNanos = System.nanoTime();
            Path workDir = null;
            try {
                workDir = ServerSupport.createWorkDir("secrets-postgres-", osUser);
                Path dataDir = workDir.resolve("data");
                String password = ServerSupport.randomPassword();
                initdb(workDir, dataDir, osUser, password);
                Path socketDir = workDir;
                ServerSupport.Started started = ServerSupport.startOnFreePort("PostgreSQL",
                        port -> ServerSupport.runAs(osUser, List.of(
                                BIN_DIR.resolve("postgres").toString(),
                                "-D", dataDir.toString(),
                                "-c", "listen_addresses=" + ServerSupport.LOOPBACK,
                                "-c", "port=" + port,
                                "-c", "unix_socket_directories=" + socketDir,
                                "-c", "fsync=off",
                                "-c", "synchronous_commit=off",
                                "-c", "full_page_writes=off",
                                "-c", "max_connections=200",
                                // Containers often have a small /dev/shm.
                                "-c", "dynamic_shared_memory_type=mmap",
                                // A failing statement may be ALTER ROLE ... PASSWORD: keep SQL out of the log.
                                "-c", "log_min_error_statement=panic")),
                        port -> () -> connect(urlOf(port, "postgres"), SUPERUSER, password, CONNECT_TIMEOUT),
                        workDir, workDir.resolve("server.log"), START_TIMEOUT);
                LOG.log(System.Logger.Level.INFO, "PostgreSQL test server ready on {0}:{1} in {2} ms (files in {3})",
                        ServerSupport.LOOPBACK, String.valueOf(started.port()),
                        String.valueOf((System.nanoTime() - startNanos) / 1_000_000), workDir);
                return new Running(workDir, dataDir, osUser, started.process(), started.port(), password);
            } catch (IOException e) {
                // On failure the directory is kept for diagnosis: the exception names it.
                throw new IllegalStateException("could not start the PostgreSQL test server"
                        + (workDir == null ? "" : " in " + workDir), e);
            }
        }

        private static void requireDriver() {
            try {
                DriverManager.getDriver("jdbc:postgresql://" + ServerSupport.LOOPBACK + "/postgres");
            } catch (SQLException e) {
                throw new IllegalStateException("the PostgreSQL JDBC driver is not on the test classpath;"
                        + " add org.postgresql:postgresql with <scope>test</scope>", e);
            }
        }

        private static void initdb(Path workDir, Path dataDir, String osUser, String password) throws IOException {
            Path passwordFile = workDir.resolve("superuser-password");
            ServerSupport.writePrivateFile(passwordFile, password + "\n", osUser);
            try {
                ServerSupport.runToCompletion("initdb", ServerSupport.runAs(osUser, List.of(
                                BIN_DIR.resolve("initdb").toString(),
                                "--pgdata=" + dataDir,
                                "--username=" + SUPERUSER,
                                "--pwfile=" + passwordFile,
                                // Every connection, TCP or socket, must prove its password.
                                "--auth=scram-sha-256",
                                "--encoding=UTF8",
                                "--locale=C",
                                "--no-sync",
                                "--no-instructions")),
                        workDir, workDir.resolve("initdb.log"), INITDB_TIMEOUT);
            } finally {
                Files.deleteIfExists(passwordFile);
            }
        }

        /** Fast shutdown (clients are disconnected, not waited for), then the files are deleted. */
        @Override
        public void close() {
            try {
                ServerSupport.runToCompletion("pg_ctl stop", ServerSupport.runAs(osUser, List.of(
                                BIN_DIR.resolve("pg_ctl").toString(), "stop",
                                "--pgdata=" + dataDir, "--mode=fast", "--wait",
                                "--timeout=" + STOP_TIMEOUT.toSeconds())),
                        workDir, workDir.resolve("stop.log"), STOP_TIMEOUT.plusSeconds(5));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pg_ctl stop failed; killing the PostgreSQL test server", e);
            }
            ServerSupport.awaitExit(process, Duration.ofSeconds(10));
            ServerSupport.deleteRecursively(workDir);
        }
    }
}
