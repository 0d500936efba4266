package dev.secrets.internal.rotation;

import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretId;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.ValueType;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code postgresql}: rotates the password of a PostgreSQL role held in a database secret
 * ({@code username}, {@code password}, {@code host}, optional {@code port} (5432) and {@code dbname}
 * ({@code postgres})). Uses only {@code java.sql}; the PostgreSQL JDBC driver must be on the class path.
 *
 * <p>Parameters: {@code strategy} — {@code single-user} (default) or {@code alternating-users};
 * {@code adminSecretId} — for alternating-users, the secret holding a role allowed to create roles and
 * set their passwords; {@code cloneSuffix} (default {@code _clone}); {@code connectTimeout} in seconds
 * (default 10); and the password options of {@link RandomPassword#fromParameters(Map)}.
 *
 * <ul>
 *   <li><b>single-user</b>: the role changes its own password, logged in with the {@code CURRENT}
 *       credentials (or {@code PREVIOUS}, when {@code CURRENT} was already changed by hand). Between
 *       {@code setSecret} and {@code finishSecret} the database has the new password and the store's
 *       {@code CURRENT} the old one; clients retry on login failure (the JDBC driver does).</li>
 *   <li><b>alternating-users</b>: two roles, {@code user} and {@code user_clone} (created on first use
 *       as a member of {@code user}, so it has the same privileges). Each rotation sets a new password
 *       on the role that is <em>not</em> in {@code CURRENT} and switches {@code username} to it, so the
 *       {@code CURRENT} credentials keep working throughout and become {@code PREVIOUS} afterwards,
 *       valid until the next rotation.</li>
 * </ul>
 *
 * <p>{@code setSecret} first tries the pending credentials and does nothing if they already work (a
 * resumed rotation). Statements are built by the server's {@code format('%I', '%L')} from bound
 * parameters, so no name or password can change the statement.
 */
public final class PostgresRotator implements Rotator {
    public static final String NAME = "postgresql";
    public static final String STRATEGY = "strategy";
    public static final String SINGLE_USER = "single-user";
    public static final String ALTERNATING_USERS = "alternating-users";
    public static final String ADMIN_SECRET_ID = "adminSecretId";
    public static final String CLONE_SUFFIX = "cloneSuffix";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String DRIVER_CLASS = "org.postgresql.Driver";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> p) {
        DbRotation.validate(NAME, p);
        DbRotation.requireDriver(PostgresRotator.class.getClassLoader(), DRIVER_CLASS, NAME,
                "PostgreSQL JDBC (org.postgresql:postgresql)");
    }

    private static int timeout(Map<String, String> p) {
        return DbRotation.timeout(p);
    }

    // ================================================================ the four steps

    @Override
    public void createSecret(RotationContext ctx) {
        DbRotation.createSecret(ctx, NAME);
    }

    @Override
    public void setSecret(RotationContext ctx) {
        Creds pending = pending(ctx);
        int timeout = timeout(ctx.parameters());
        if (canLogIn(pending, timeout)) {
            return; // already applied by an earlier attempt
        }
        if (DbRotation.alternating(ctx.parameters())) {
            DbCreds adminCreds = DbRotation.adminCreds(ctx);
            Creds admin = new Creds(adminCreds.user(), adminCreds.password(), adminCreds.host(), adminCreds.port(),
                    adminCreds.dbname());
            String base = DbRotation.baseUser(pending.user, DbRotation.suffix(ctx));
            // The admin logs in at the admin secret's own endpoint, never the rotated secret's.
            try (Connection c = connect(admin, timeout)) {
                if (!roleExists(c, pending.user)) {
                    execute(c, "CREATE ROLE %I WITH LOGIN PASSWORD %L", pending.user, pending.password);
                    execute(c, "GRANT %I TO %I", base, pending.user);
                } else {
                    SessionDrain.awaitNoSessions(ctx, pending.user, () -> sessionsOf(c, pending.user));
                    execute(c, "ALTER ROLE %I WITH PASSWORD %L", pending.user, pending.password);
                }
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.user + "' as the admin role failed", e);
            }
        } else {
            Connection c = null;
            SQLException first = null;
            for (String label : new String[] {"CURRENT", "PREVIOUS"}) {
                Optional<SecretVersion> v = label.equals("CURRENT") ? ctx.current() : ctx.previous();
                if (v.isEmpty() || v.get().versionId().equals(ctx.token())) {
                    continue;
                }
                Creds creds = Creds.of(v.get(), label);
                try {
                    c = connect(pending.withLogin(creds.user, creds.password), timeout);
                    break;
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    }
                    if (!isLoginRefused(e)) {
                        break;
                    }
                }
            }
            if (c == null) {
                throw sqlFailure("cannot log in to change the password of role '" + pending.user
                        + "': neither the CURRENT nor the PREVIOUS credentials are accepted", first);
            }
            try (Connection conn = c) {
                execute(conn, "ALTER ROLE %I WITH PASSWORD %L", pending.user, pending.password);
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.user + "' failed", e);
            }
        }
    }

    @Override
    public void testSecret(RotationContext ctx) {
        Creds pending = pending(ctx);
        try (Connection c = connect(pending, timeout(ctx.parameters()));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        } catch (SQLException e) {
            throw sqlFailure("logging in with the PENDING credentials of role '" + pending.user + "' failed", e);
        }
    }

    // ================================================================ helpers

    private static int sessionsOf(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Creds pending(RotationContext ctx) {
        return Creds.of(ctx.pendingValue().orElseThrow(() -> new SecretsException("secret '" + ctx.secretId()
                + "' has no pending version " + ctx.token() + "; createSecret did not run")), "PENDING");
    }

    private static boolean canLogIn(Creds creds, int timeout) {
        try (Connection c = connect(creds, timeout)) {
            return c.isValid(timeout);
        } catch (SQLException e) {
            if (isLoginRefused(e)) {
                return false;
            }
            throw sqlFailure("cannot reach PostgreSQL at " + creds.address(), e);
        }
    }

    /** 28P01 invalid password, 28000 invalid authorization (e.g. role does not exist or may not log in). */
    private static boolean isLoginRefused(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("28");
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Runs a statement that the server builds with format(): identifiers and literals are quoted by PostgreSQL. */
    private static void execute(Connection c, String template, String... args) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT format(?");
        for (int i = 0; i < args.length; i++) {
            sql.append(", ?::text");
        }
        sql.append(')');
        String statement;
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, template);
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 2, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                statement = rs.getString(1);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static Connection connect(Creds creds, int timeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", creds.user);
        props.setProperty("password", creds.password);
        props.setProperty("connectTimeout", Integer.toString(timeout));
        props.setProperty("loginTimeout", Integer.toString(timeout));
        // Bounds every statement too, so that a step ends well within the rotation lease (10 minutes).
        props.setProperty("socketTimeout", Integer.toString(Math.max(60, 6 * timeout)));
        props.setProperty("ApplicationName", "secrets-rotation");
        return DriverManager.getConnection(creds.url(), props);
    }

    private static SecretsException sqlFailure(String what, SQLException e) {
        if (e == null) {
            return new SecretsException(what);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.startsWith("No suitable driver")) {
            return new SecretsException(what + ": the PostgreSQL JDBC driver (org.postgresql:postgresql) is not on the class path", e);
        }
        return new SecretsException(what + ": " + msg + " (SQLState " + e.getSQLState() + ")", e);
    }

    /** Connection coordinates and login from a database secret's value. */
    private static final class Creds {
        final String user;
        final String password;
        final String host;
        final String port;
        final String dbname;

        private Creds(String user, String password, String host, String port, String dbname) {
            this.user = user;
            this.password = password;
            this.host = host;
            this.port = port;
            this.dbname = dbname;
        }

        static Creds of(SecretVersion v, String what) {
            SecretValue value = v.value();
            if (value.type() != ValueType.KEY_VALUE) {
                throw new SecretsException("the " + what + " value of secret '" + v.secretId()
                        + "' is not a JSON object with username and password");
            }
            Map<String, String> f = value.fields();
            String user = f.get("username");
            String password = f.get("password");
            if (user == null || user.isEmpty() || password == null) {
                throw new SecretsException("the " + what + " value of secret '" + v.secretId() + "' lacks field "
                        + (user == null || user.isEmpty() ? "username" : "password"));
            }
            return new Creds(user, password, f.get("host"), f.get("port"), f.get("dbname"));
        }

        Creds withLogin(String u, String p) {
            return new Creds(u, p, host, port, dbname);
        }

        String address() {
            return (host == null ? "?" : host) + ":" + (port == null ? "5432" : port);
        }

        String url() {
            if (host == null || host.isBlank()) {
                throw new SecretsException("the database secret has no field 'host'; the postgresql rotator needs host (and optionally port, dbname)");
            }
            String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            String db = dbname == null || dbname.isEmpty() ? "postgres" : dbname;
            return "jdbc:postgresql://" + h + ":" + (port == null ? "5432" : port) + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8);
        }
    }
}
