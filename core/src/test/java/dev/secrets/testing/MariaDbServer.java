package dev.secrets.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;


/**
 * A real MariaDB server for tests, started once per JVM and shared by every test class.
 *
 * <p>Use it as an extension, which starts the server before the class's tests and can inject
 * itself into test constructors and methods:
 *
 * <pre>{@code
 * @ExtendWith(MariaDbServer.class)
 * class JdbcDriverIT {
 *     @Test
 *     void connects(MariaDbServer mariaDb) throws SQLException {
 *         mariaDb.createDatabase("app");
 *         mariaDb.createUser("app_user", "first-password", "app");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * or through {@link #shared()}, which starts the server on first use (also as
 * {@code @RegisterExtension static final MariaDbServer MARIADB = MariaDbServer.shared();}).
 *
 * <p><b>What it promises.</b> The server runs the installed {@code mariadbd} (or {@code mysqld})
 * on a data directory made by {@code mariadb-install-db} in a fresh temporary directory, listens on
 * a free TCP port of {@code 127.0.0.1} only, and checks passwords for real: a login with a wrong or
 * outdated password is refused with error code {@code 1045} (SQLState {@code 28000}). The
 * administrator is {@code root}, with a random password made for this JVM and every privilege. Users
 * made by {@link #createUser} are {@code 'NAME'@'%'}. Durability is relaxed for speed. The server is
 * stopped and its files are deleted when the JVM exits. When the JVM runs as root (as CI does), the
 * server runs as the {@code mysql} OS user.
 *
 * <p><b>When MariaDB is missing</b>, the tests that need it fail (never skip) with one line naming
 * the command that installs it, {@code ./test}. If the server is installed but fails to start, the
 * error quotes the end of the server's log.
 *
 * <p><b>Sharing.</b> All test classes of a JVM see the same server, so the databases and users a
 * test creates should have names unique to that test. The MariaDB JDBC driver
 * ({@code org.mariadb.jdbc:mariadb-java-client}) must be on the test classpath.
 *
 * <p><b>Thread safety.</b> All methods are thread-safe; concurrent first uses start one server.
 * Every instance is a handle on the same server.
 */
public final class MariaDbServer extends DatabaseServer {

    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"), Path.of("/usr/local/mysql/bin"),
            Path.of("/usr/local/mysql/scripts"));
    /** The driver's connectTimeout, in milliseconds. */
    private static final String CONNECT_TIMEOUT = "10000";
    private static final String SUPERUSER = "root";
    private static final String OS_USER = "mysql";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(MariaDbServer.class.getName());

    /** Small InnoDB files and memory: test data is tiny, and a smaller datadir initialises faster. */
    private static final List<String> INNODB_OPTIONS = List.of(
            "--innodb-log-file-size=8M",
            "--innodb-buffer-pool-size=32M",
            // Asynchronous I/O is often unavailable in containers (io_uring/libaio blocked).
            "--innodb-use-native-aio=0");

    private static final SharedServer<Running> SERVER =
            new SharedServer<>("MariaDB test server", Running::start);
    private static final MariaDbServer SHARED = new MariaDbServer();

    /** For {@code @ExtendWith(MariaDbServer.class)}; code uses {@link #shared()}. */
    private MariaDbServer() {
        super(SERVER);
    }

    /**
     * The JVM's server. Returns at once; the server is started by the first method that needs it
     * (or by {@link #beforeAll}).
     */
    public static MariaDbServer shared() {
        return SHARED;
    }

    /** The administrator's user name: {@code root}. Does not start the server. */
    @Override
    public String superuser() {
        return SUPERUSER;
    }

    /** A new connection as the administrator, with no default database; the caller closes it. */
    public Connection adminConnection() throws SQLException {
        return adminConnection("");
    }

    /**
     * Creates a database (character set {@code utf8mb4}).
     *
     * @return its JDBC URL, as {@link #jdbcUrl(String)}
     * @throws SQLException if it exists already or cannot be created
     */
    public String createDatabase(String name) throws SQLException {
        execute("CREATE DATABASE " + identifier(name));
        return jdbcUrl(name);
    }

    /**
     * Creates the user {@code 'name'@'%'}, who may log in and see nothing yet.
     *
     * @throws SQLException if it exists already or cannot be created; the message never contains
     *     the password
     */
    public void createUser(String name, String password) throws SQLException {
        execute("CREATE USER " + account(name) + " IDENTIFIED BY " + literal(Objects.requireNonNull(password)));
    }

    /**
     * Creates the user {@code 'name'@'%'} with every privilege on {@code database}, which must
     * exist.
     *
     * @throws SQLException if the user exists already or cannot be created; the message never
     *     contains the password
     */
    public void createUser(String name, String password, String database) throws SQLException {
        createUser(name, password);
        execute("GRANT ALL PRIVILEGES ON " + identifier(database) + ".* TO " + account(name));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE}; an empty {@code database} gives a URL with no default database. */
    @Override
    String url(int port, String database) {
        return urlOf(port, database);
    }

    @Override
    String connectTimeout() {
        return CONNECT_TIMEOUT;
    }

    private static String urlOf(int port, String database) {
        return "jdbc:mariadb://" + ServerSupport.LOOPBACK + ":" + port + "/" + database;
    }

    private static String identifier(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a name is required");
        }
        return '`' + name.replace("`", "``") + '`';
    }

    private static String account(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a user name is required");
        }
        return literal(name) + "@'%'";
    }

    /** A string literal; backslash is an escape character in MariaDB's default SQL mode. */
    private static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "''") + '\'';
    }

    /** The server process and its files. */
    private static final class Running implements Started {

        private final Path workDir;
        private final Process process;
        private final int port;
        private final String password;

        private Running(Path workDir, Process process, int port, String password) {
            this.workDir = workDir;
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
            Path server = ServerSupport.findExecutable(List.of("mariadbd", "mysqld"), BIN_DIRS)
                    .orElseThrow(() -> ServerSupport.unavailable(
                            "MariaDB is not installed: no mariadbd or mysqld (Debian: apt-get install mariadb-server)"));
            Path installDb = ServerSupport.findExecutable(List.of("mariadb-install-db", "mysql_install_db"), BIN_DIRS)
                    .orElseThrow(() -> ServerSupport.unavailable(
                            "MariaDB is not installed: no mariadb-install-db or mysql_install_db"
                                    + " (Debian: apt-get install mariadb-server)"));
            requireDriver();
            String osUser = ServerSupport.runningAsRoot() ? OS_USER : null;
            if (osUser != null && !ServerSupport.osUserExists(osUser)) {
                throw new IllegalStateException("this JVM runs as root, so MariaDB must run as the OS user "
                        + osUser + ", which does not exist (the Debian package creates it)");
            }
            long startNanos = System.nanoTime();
            Path workDir = null;
            try {
                workDir = ServerSupport.createWorkDir("secrets-mariadb-", osUser);
                Path dataDir = workDir.resolve("data");
                installDb(installDb, workDir, dataDir, osUser);

                // The init file gives root@127.0.0.1 its password before the first client gets in.
                String password = ServerSupport.randomPassword();
                Path initFile = workDir.resolve("init.sql");
                ServerSupport.writePrivateFile(initFile,
                        "CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY " + literal(password) + ";\n"
                                + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n",
                        osUser);
                Path finalWorkDir = workDir;
                ServerSupport.Started started;
                try {
                    started = ServerSupport.startOnFreePort("MariaDB",
                            port -> serverCommand(server, finalWorkDir, dataDir, initFile, osUser, port),
                            port -> () -> connect(urlOf(port, ""), SUPERUSER, password, CONNECT_TIMEOUT),
                            workDir, workDir.resolve("server.log"), START_TIMEOUT);
                } finally {
                    Files.deleteIfExists(initFile);
                }
                LOG.log(System.Logger.Level.INFO, "MariaDB test server ready on {0}:{1} in {2} ms (files in {3})",
                        ServerSupport.LOOPBACK, String.valueOf(started.port()),
                        String.valueOf((System.nanoTime() - startNanos) / 1_000_000), workDir);
                return new Running(workDir, started.process(), started.port(), password);
            } catch (IOException e) {
                // On failure the directory is kept for diagnosis: the exception names it.
                throw new IllegalStateException("could not start the MariaDB test server"
                        + (workDir == null ? "" : " in " + workDir), e);
            }
        }

        private static void requireDriver() {
            try {
                DriverManager.getDriver("jdbc:mariadb://" + ServerSupport.LOOPBACK + "/");
            } catch (SQLException e) {
                throw new IllegalStateException("the MariaDB JDBC driver is not on the test classpath;"
                        + " add org.mariadb.jdbc:mariadb-java-client with <scope>test</scope>", e);
            }
        }

        private static void installDb(Path installDb, Path workDir, Path dataDir, String osUser) throws IOException {
            List<String> command = new ArrayList<>(List.of(installDb.toString(),
                    "--no-defaults",
                    "--datadir=" + dataDir,
                    // root@localhost logs in through the socket only; root@127.0.0.1 gets a password at start.
                    "--auth-root-authentication-method=socket",
                    "--skip-test-db",
                    "--skip-name-resolve"));
            if (osUser != null) {
                command.add("--user=" + osUser);
            }
            command.addAll(INNODB_OPTIONS);
            ServerSupport.runToCompletion("mariadb-install-db", command, workDir, workDir.resolve("install-db.log"),
                    INSTALL_TIMEOUT);
        }

        private static List<String> serverCommand(Path server, Path workDir, Path dataDir, Path initFile,
                String osUser, int port) {
            List<String> command = new ArrayList<>(List.of(server.toString(),
                    "--no-defaults",
                    "--datadir=" + dataDir,
                    "--port=" + port,
                    "--bind-address=" + ServerSupport.LOOPBACK,
                    "--socket=" + workDir.resolve("mysql.sock"),
                    "--pid-file=" + workDir.resolve("mariadbd.pid"),
                    "--tmpdir=" + workDir,
                    "--init-file=" + initFile,
                    // Clients are seen as 127.0.0.1, never as a resolved host name.
                    "--skip-name-resolve",
                    "--max-connections=200",
                    "--character-set-server=utf8mb4",
                    "--collation-server=utf8mb4_unicode_ci",
                    "--innodb-flush-log-at-trx-commit=0",
                    "--innodb-doublewrite=0"));
            if (osUser != null) {
                command.add("--user=" + osUser);
            }
            command.addAll(INNODB_OPTIONS);
            return command;
        }

        /** SIGTERM: MariaDB disconnects its clients and shuts down; then the files are deleted. */
        @Override
        public void close() {
            process.destroy();
            ServerSupport.awaitExit(process, STOP_TIMEOUT);
            ServerSupport.deleteRecursively(workDir);
        }
    }
}
