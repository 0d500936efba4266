package dev.secrets.internal.rotation;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.SecretsException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One connection of the {@code mysql} rotator to a MySQL or MariaDB server, and the statements it runs.
 *
 * <p><b>No SQL text from secret fields.</b> A statement is a template whose {@code %L} places take
 * account names and passwords. The client sends the template's pieces and the values as bound
 * parameters of {@code SET @v = CONCAT(?, QUOTE(?), …)}; the server quotes each value with
 * {@code QUOTE()} and runs the result with {@code PREPARE … FROM @v; EXECUTE}, so the statement text is
 * made and run on the server, and no value can end its literal. {@code QUOTE()} escapes with
 * backslashes, so the session's {@code sql_mode} is cleared first ({@code NO_BACKSLASH_ESCAPES} would
 * make a backslash in a password end the literal). The variable is cleared after each statement.
 *
 * <p><b>Connection settings</b> come only from typed rotator parameters ({@link Options}): the
 * endpoint's host and port are checked to be a host name or address and a number before they enter a
 * URL, the database name is never put in it, and local-infile is off. Not thread-safe.
 */
final class MySqlSession implements AutoCloseable {
    static final String SSL_MODE = "sslMode";
    static final String SSL_SERVER_CERT = "sslServerCert";
    private static final Set<String> SSL_MODES = Set.of("disable", "trust", "verify-ca", "verify-full");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}\\]?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String VAR = "@secrets_rotation_stmt";

    /** Typed connection settings from the rotator's parameters. */
    record Options(int timeoutSeconds, String sslMode, String sslServerCert) {
        static Options of(Map<String, String> p) {
            String mode = p.get(SSL_MODE);
            if (mode != null && !SSL_MODES.contains(mode)) {
                throw new InvalidSecretException("parameter " + SSL_MODE + " is '" + mode + "'; use one of disable, trust,"
                        + " verify-ca, verify-full");
            }
            String cert = p.get(SSL_SERVER_CERT);
            if (cert != null && cert.isBlank()) {
                throw new InvalidSecretException("parameter " + SSL_SERVER_CERT + " must name a certificate file");
            }
            return new Options(DbRotation.timeout(p), mode, cert);
        }
    }

    private final Connection connection;
    private final boolean mariaDb;

    private MySqlSession(Connection connection, boolean mariaDb) {
        this.connection = connection;
        this.mariaDb = mariaDb;
    }

    /** Logs in; the caller closes the session. */
    static MySqlSession open(DatabaseCredentials creds, Options options) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", creds.username());
        props.setProperty("password", creds.password());
        props.setProperty("connectTimeout", Integer.toString(options.timeoutSeconds() * 1000));
        // Bounds every statement too, so that a step ends well within the rotation lease.
        props.setProperty("socketTimeout", Integer.toString(Math.max(60, 6 * options.timeoutSeconds()) * 1000));
        props.setProperty("allowLocalInfile", "false");
        if (options.sslMode() != null) {
            props.setProperty("sslMode", options.sslMode());
        }
        if (options.sslServerCert() != null) {
            props.setProperty("serverSslCert", options.sslServerCert());
        }
        Connection c = DriverManager.getConnection(url(creds), props);
        try {
            boolean maria;
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_mode = ''");
                try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                    rs.next();
                    maria = rs.getString(1).toLowerCase(java.util.Locale.ROOT).contains("mariadb");
                }
            }
            return new MySqlSession(c, maria);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Whether {@code creds} log in; false when the server refuses the login, an error when it cannot be reached. */
    static boolean canLogIn(DatabaseCredentials creds, Options options) {
        try (MySqlSession s = open(creds, options)) {
            return true;
        } catch (SQLException e) {
            if (isLoginRefused(e)) {
                return false;
            }
            throw DbRotation.sqlFailure("cannot reach the MySQL/MariaDB server at " + DbRotation.address(creds, 3306), e,
                    MySqlRotator.DRIVER_CLASS);
        }
    }

    /** Error 1045 (access denied) or SQLState class 28 (invalid authorization). */
    static boolean isLoginRefused(SQLException e) {
        String state = e.getSQLState();
        return e.getErrorCode() == 1045 || (state != null && state.startsWith("28"));
    }

    private static String url(DatabaseCredentials creds) {
        String host = creds.host().orElse(null);
        if (host == null || host.isBlank()) {
            throw new SecretsException("the database secret has no field 'host'; the mysql rotator needs host (and optionally port)");
        }
        if (!HOST.matcher(host).matches()) {
            throw new SecretsException("the database secret's field 'host' is not a host name or IP address");
        }
        String port = creds.port().orElse(null) == null ? "3306" : creds.port().orElse(null);
        if (!PORT.matcher(port).matches()) {
            throw new SecretsException("the database secret's field 'port' is not a port number");
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:mariadb://" + h + ":" + port + "/";
    }

    boolean isMariaDb() {
        return mariaDb;
    }

    void ping() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    boolean accountExists(String user, String host) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = ?")) {
            ps.setString(1, user);
            ps.setString(2, host);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** How many sessions the server has of {@code user} (all of them only with the PROCESS privilege). */
    int sessionsOf(String user) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Runs {@code template} with each {@code %L} replaced, on the server, by the quoted next value. */
    void execute(String template, String... values) throws SQLException {
        run(pieces(template, values), false);
    }

    /**
     * Gives {@code clone@host} every grant {@code SHOW GRANTS} lists for {@code base@host}, by replaying
     * each line with the grantee replaced (GRANT is idempotent). The USAGE line is left out (the account
     * exists already; on MariaDB it carries the password hash).
     *
     * @throws SecretsException naming a grant that cannot be replayed
     */
    void copyGrants(String base, String clone, String host) throws SQLException {
        List<String> grants = run(pieces("SHOW GRANTS FOR %L@%L", base, host), true);
        for (String line : grants) {
            List<Piece> replay = GrantReplay.replay(line, base, host, clone);
            if (replay == null) {
                continue;
            }
            try {
                run(replay, false);
            } catch (SQLException e) {
                throw DbRotation.sqlFailure("replaying the grant '" + GrantReplay.shown(line) + "' of '" + base + "' to '" + clone
                        + "' failed (the admin account needs the privilege WITH GRANT OPTION)", e, null);
            }
        }
    }

    /** A piece of a statement: text the server takes as it is, or a value it quotes. */
    record Piece(String text, boolean quoted) {
        static Piece sql(String text) {
            return new Piece(text, false);
        }

        static Piece value(String value) {
            return new Piece(value, true);
        }
    }

    private static List<Piece> pieces(String template, String... values) {
        List<Piece> out = new ArrayList<>();
        String[] parts = template.split("%L", -1);
        if (parts.length != values.length + 1) {
            throw new IllegalArgumentException("template has " + (parts.length - 1) + " places for " + values.length + " values");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                out.add(Piece.sql(parts[i]));
            }
            if (i < values.length) {
                out.add(Piece.value(values[i]));
            }
        }
        return out;
    }

    /** Builds the statement on the server from the pieces, prepares and runs it; returns the first column of its rows. */
    private List<String> run(List<Piece> pieces, boolean rows) throws SQLException {
        StringBuilder concat = new StringBuilder("SET " + VAR + " = CONCAT(");
        for (int i = 0; i < pieces.size(); i++) {
            concat.append(i == 0 ? "" : ", ").append(pieces.get(i).quoted() ? "QUOTE(?)" : "?");
        }
        concat.append(')');
        List<String> out = new ArrayList<>();
        try {
            try (PreparedStatement ps = connection.prepareStatement(concat.toString())) {
                for (int i = 0; i < pieces.size(); i++) {
                    ps.setString(i + 1, pieces.get(i).text());
                }
                ps.execute();
            }
            try (Statement s = connection.createStatement()) {
                s.execute("PREPARE secrets_rotation FROM " + VAR);
                if (s.execute("EXECUTE secrets_rotation") && rows) {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
                s.execute("DEALLOCATE PREPARE secrets_rotation");
            }
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("SET " + VAR + " = NULL");
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
