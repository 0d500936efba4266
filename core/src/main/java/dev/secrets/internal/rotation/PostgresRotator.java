package dev.secrets.internal.rotation;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretId;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
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

    private static final DatabaseDialect DIALECT = DatabaseDialect.of("postgresql");
    private static final String DEFAULT_PORT = "5432";
    private static final String DEFAULT_DBNAME = "postgres";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> p) {
        String strategy = strategy(p);
        if (ALTERNATING_USERS.equals(strategy)) {
            String admin = p.get(ADMIN_SECRET_ID);
            if (admin == null || admin.isBlank()) {
                throw new InvalidSecretException("the alternating-users strategy of rotator " + NAME + " needs parameter "
                        + ADMIN_SECRET_ID + ": the ID of a secret with the credentials of a role that can create roles");
            }
            SecretId.of(admin);
        }
        timeout(p);
        RandomPassword.fromParameters(p);
        String suffix = p.get(CLONE_SUFFIX);
        if (suffix != null && suffix.isEmpty()) {
            throw new InvalidSecretException("parameter " + CLONE_SUFFIX + " must not be empty");
        }
    }

    private static String strategy(Map<String, String> p) {
        String s = p.getOrDefault(STRATEGY, SINGLE_USER);
        if (!s.equals(SINGLE_USER) && !s.equals(ALTERNATING_USERS)) {
            throw new InvalidSecretException("parameter " + STRATEGY + " of rotator " + NAME + " is '" + s + "'; use "
                    + SINGLE_USER + " or " + ALTERNATING_USERS);
        }
        return s;
    }

    private static int timeout(Map<String, String> p) {
        String t = p.getOrDefault(CONNECT_TIMEOUT, "10");
        try {
            int n = Integer.parseInt(t.trim());
            if (n >= 1 && n <= 600) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSecretException("parameter " + CONNECT_TIMEOUT + " must be 1 to 600 seconds, not '" + t + "'");
    }

    // ================================================================ the four steps

    @Override
    public void createSecret(RotationContext ctx) {
        if (ctx.pendingValue().isPresent()) {
            return;
        }
        Optional<SecretVersion> current = ctx.current();
        if (current.isEmpty()) {
            throw new SecretsException("secret '" + ctx.secretId() + "' has no CURRENT value to rotate");
        }
        DatabaseCredentials cur = creds(current.get(), "CURRENT");
        String password = RandomPassword.fromParameters(ctx.parameters()).generate(ctx.random());
        SecretValue next = RandomPasswordRotator.withField(Optional.of(current.get().value()), "password", password, NAME);
        if (ALTERNATING_USERS.equals(strategy(ctx.parameters()))) {
            next = RandomPasswordRotator.withField(Optional.of(next), "username", otherUser(cur.username(), suffix(ctx)), NAME);
        }
        ctx.putPendingValue(next);
    }

    @Override
    public void setSecret(RotationContext ctx) {
        DatabaseCredentials pending = pending(ctx);
        int timeout = timeout(ctx.parameters());
        if (canLogIn(pending, timeout)) {
            return; // already applied by an earlier attempt
        }
        if (ALTERNATING_USERS.equals(strategy(ctx.parameters()))) {
            String adminId = ctx.parameters().get(ADMIN_SECRET_ID);
            SecretVersion adminSecret;
            try {
                adminSecret = ctx.readSecret(adminId);
            } catch (SecretNotFoundException e) {
                throw new SecretsException("the admin secret '" + adminId + "' named by parameter " + ADMIN_SECRET_ID
                        + " cannot be read: " + e.getMessage(), e);
            }
            DatabaseCredentials admin = creds(adminSecret, "admin secret '" + adminId + "'");
            requireSameEndpoint(ctx, adminId, admin, pending);
            String base = baseUser(pending.username(), suffix(ctx));
            // The admin's password goes only to the admin secret's own endpoint, never to one the rotated secret names.
            try (Connection c = connect(admin, timeout)) {
                if (!roleExists(c, pending.username())) {
                    execute(c, "CREATE ROLE %I WITH LOGIN PASSWORD %L", pending.username(), pending.password());
                    execute(c, "GRANT %I TO %I", base, pending.username());
                } else {
                    execute(c, "ALTER ROLE %I WITH PASSWORD %L", pending.username(), pending.password());
                }
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.username() + "' as the admin role failed", e);
            }
        } else {
            Connection c = null;
            SQLException first = null;
            for (String label : new String[] {"CURRENT", "PREVIOUS"}) {
                Optional<SecretVersion> v = label.equals("CURRENT") ? ctx.current() : ctx.previous();
                if (v.isEmpty() || v.get().versionId().equals(ctx.token())) {
                    continue;
                }
                DatabaseCredentials creds = creds(v.get(), label);
                try {
                    c = connect(pending.withLogin(creds.username(), creds.password()), timeout);
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
                throw sqlFailure("cannot log in to change the password of role '" + pending.username()
                        + "': neither the CURRENT nor the PREVIOUS credentials are accepted", first);
            }
            try (Connection conn = c) {
                execute(conn, "ALTER ROLE %I WITH PASSWORD %L", pending.username(), pending.password());
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.username() + "' failed", e);
            }
        }
    }

    @Override
    public void testSecret(RotationContext ctx) {
        DatabaseCredentials pending = pending(ctx);
        try (Connection c = connect(pending, timeout(ctx.parameters()));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        } catch (SQLException e) {
            throw sqlFailure("logging in with the PENDING credentials of role '" + pending.username() + "' failed", e);
        }
    }

    // ================================================================ helpers

    private static String suffix(RotationContext ctx) {
        return ctx.parameters().getOrDefault(CLONE_SUFFIX, "_clone");
    }

    static String baseUser(String user, String suffix) {
        return user.endsWith(suffix) && user.length() > suffix.length() ? user.substring(0, user.length() - suffix.length()) : user;
    }

    static String otherUser(String user, String suffix) {
        String base = baseUser(user, suffix);
        return user.equals(base) ? base + suffix : base;
    }

    /**
     * The admin secret must name the server of the rotated secret: otherwise whoever writes the
     * rotated secret's {@code host} would choose where the admin password is sent.
     */
    private static void requireSameEndpoint(RotationContext ctx, String adminId, DatabaseCredentials admin, DatabaseCredentials pending) {
        String adminHost = admin.host().orElse("");
        String host = pending.host().orElse("");
        String adminPort = admin.port().orElse("5432");
        String port = pending.port().orElse("5432");
        if (adminHost.isBlank() || !adminHost.equalsIgnoreCase(host) || !adminPort.equals(port)) {
            throw new SecretsException("the admin secret '" + adminId + "' names " + (adminHost.isBlank() ? "no host" : admin.address())
                    + ", not the server of secret '" + ctx.secretId() + "' (" + pending.address() + "); the admin login goes only to"
                    + " the admin secret's own host and port, so both secrets must name the same server");
        }
    }

    private static DatabaseCredentials pending(RotationContext ctx) {
        return creds(ctx.pendingValue().orElseThrow(() -> new SecretsException("secret '" + ctx.secretId()
                + "' has no pending version " + ctx.token() + "; createSecret did not run")), "PENDING");
    }

    private static boolean canLogIn(DatabaseCredentials creds, int timeout) {
        try (Connection c = connect(creds, timeout)) {
            return c.isValid(timeout);
        } catch (SQLException e) {
            if (isLoginRefused(e)) {
                return false;
            }
            throw sqlFailure("cannot reach PostgreSQL at " + creds.address(), e);
        }
    }

    /** As the PostgreSQL dialect says: 28P01 invalid password, 28000 invalid authorization (no such role, may not log in). */
    private static boolean isLoginRefused(SQLException e) {
        return DIALECT.isLoginFailure(e);
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

    private static Connection connect(DatabaseCredentials creds, int timeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", creds.username());
        props.setProperty("password", creds.password());
        props.setProperty("connectTimeout", Integer.toString(timeout));
        props.setProperty("loginTimeout", Integer.toString(timeout));
        // Bounds every statement too, so that a step ends well within the rotation lease (10 minutes).
        props.setProperty("socketTimeout", Integer.toString(Math.max(60, 6 * timeout)));
        props.setProperty("ApplicationName", "secrets-rotation");
        return DriverManager.getConnection(url(creds), props);
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

    /** The credentials of a version, with PostgreSQL's default port and database where the secret names none. */
    private static DatabaseCredentials creds(SecretVersion v, String what) {
        DatabaseCredentials c;
        try {
            c = DatabaseCredentials.from(v);
        } catch (InvalidSecretException e) {
            throw new SecretsException("the " + what + " value: " + e.getMessage(), e);
        }
        if (c.username().isEmpty()) {
            throw new SecretsException("the " + what + " value of secret '" + v.secretId() + "' has an empty field username");
        }
        return c.withDefaults(DEFAULT_PORT, DEFAULT_DBNAME);
    }

    private static String url(DatabaseCredentials creds) {
        return creds.jdbcUrl(DIALECT, null);
    }
}
