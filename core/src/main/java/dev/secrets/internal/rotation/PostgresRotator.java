package dev.secrets.internal.rotation;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretKind;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * {@code postgresql}: rotates the password of a PostgreSQL role held in a database secret
 * ({@code username}, {@code password}, {@code host}, optional {@code port} (5432) and {@code dbname}
 * ({@code postgres})). Uses only {@code java.sql}; the PostgreSQL JDBC driver must be on the class path
 * ({@link #validate} says so when it is not).
 *
 * <p>Parameters: {@code strategy} — {@code single-user} (default) or {@code alternating-users};
 * {@code adminSecretId} — for alternating-users, the secret holding a role allowed to create roles and
 * set their passwords (logged in at that secret's own endpoint); {@code cloneSuffix} (default
 * {@code _clone}); {@code connectTimeout} in seconds (default 10); {@code drain} and
 * {@code drainTimeout} ({@link SessionDrain}); and the password options of
 * {@link RandomPassword#fromParameters(Map)}.
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
 * <p><b>Redshift</b> ({@link #redshift()}, and this rotator on a secret of kind {@code redshift}): the
 * same steps with {@code ALTER USER … PASSWORD} (Redshift's {@code ALTER ROLE} is for RBAC roles), port
 * 5439 and database {@code dev} by default, passwords without {@code ' " \ / @} and space (Redshift
 * refuses them); single-user only (a Redshift user cannot be granted to another user).
 *
 * <p>{@code setSecret} first tries the pending credentials and does nothing if they already work (a
 * resumed rotation). Statements are built by the server from bound parameters with
 * {@code quote_ident} and {@code quote_literal} (which PostgreSQL and Redshift both have), so no name
 * or password can change the statement; the host and port are checked before they enter the URL.
 */
public final class PostgresRotator implements Rotator {
    public static final String NAME = "postgresql";
    public static final String REDSHIFT = "redshift";
    public static final String STRATEGY = "strategy";
    public static final String SINGLE_USER = "single-user";
    public static final String ALTERNATING_USERS = "alternating-users";
    public static final String ADMIN_SECRET_ID = "adminSecretId";
    public static final String CLONE_SUFFIX = "cloneSuffix";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String DRIVER_CLASS = "org.postgresql.Driver";
    /** Characters Redshift refuses in a password. */
    static final String REDSHIFT_EXCLUDED = "'\"\\/@ ";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}\\]?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final DatabaseDialect DIALECT = DatabaseDialect.of("postgresql");

    private final boolean redshiftOnly;

    public PostgresRotator() {
        this(false);
    }

    private PostgresRotator(boolean redshiftOnly) {
        this.redshiftOnly = redshiftOnly;
    }

    /** The {@code redshift} rotator: this one, always in its Redshift form. */
    public static PostgresRotator redshift() {
        return new PostgresRotator(true);
    }

    @Override
    public String name() {
        return redshiftOnly ? REDSHIFT : NAME;
    }

    @Override
    public void validate(Map<String, String> p) {
        DbRotation.validate(name(), p);
        if (redshiftOnly && DbRotation.alternating(p)) {
            throw new InvalidSecretException("rotator " + REDSHIFT + " supports only the single-user strategy: a Redshift user"
                    + " cannot be granted to a clone user");
        }
        DbRotation.requireDriver(PostgresRotator.class.getClassLoader(), DRIVER_CLASS, name(),
                "PostgreSQL JDBC (org.postgresql:postgresql)");
    }

    private boolean isRedshift(RotationContext ctx) {
        return redshiftOnly || ctx.kind() == SecretKind.REDSHIFT;
    }

    // ================================================================ the four steps

    @Override
    public void createSecret(RotationContext ctx) {
        if (!isRedshift(ctx) || ctx.parameters().containsKey("excludeCharacters")) {
            DbRotation.createSecret(ctx, name());
            return;
        }
        Map<String, String> p = new LinkedHashMap<>(ctx.parameters());
        p.put("excludeCharacters", REDSHIFT_EXCLUDED);
        DbRotation.createSecret(ctx, name(), p);
    }

    @Override
    public void setSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        boolean redshift = isRedshift(ctx);
        int timeout = DbRotation.timeout(ctx.parameters());
        if (canLogIn(pending, timeout, redshift)) {
            return; // already applied by an earlier attempt
        }
        String alter = redshift ? "ALTER USER %I PASSWORD %L" : "ALTER ROLE %I WITH PASSWORD %L";
        if (DbRotation.alternating(ctx.parameters())) {
            if (redshift) {
                throw new SecretsException("the alternating-users strategy is not supported on Redshift (a user cannot be"
                        + " granted to a clone user); use single-user");
            }
            DatabaseCredentials admin = DbRotation.adminCreds(ctx, pending, redshift ? 5439 : 5432);
            String base = DbRotation.baseUser(pending.username(), DbRotation.suffix(ctx));
            // The admin logs in at the admin secret's own endpoint, never the rotated secret's.
            try (Connection c = connect(admin, timeout, false)) {
                if (!roleExists(c, pending.username())) {
                    execute(c, "CREATE ROLE %I WITH LOGIN PASSWORD %L", pending.username(), pending.password());
                    execute(c, "GRANT %I TO %I", base, pending.username());
                    copyAttributes(c, base, pending.username());
                } else {
                    SessionDrain.awaitNoSessions(ctx, pending.username(), () -> sessionsOf(c, pending.username()));
                    execute(c, alter, pending.username(), pending.password());
                }
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.username() + "' as the admin role failed", e);
            }
        } else {
            try (Connection c = DbRotation.loginAsOldSelf(ctx, pending, creds -> connect(creds, timeout, redshift),
                    PostgresRotator::isLoginRefused)) {
                execute(c, alter, pending.username(), pending.password());
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + pending.username() + "' failed", e);
            }
        }
    }

    @Override
    public void testSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        try (Connection c = connect(pending, DbRotation.timeout(ctx.parameters()), isRedshift(ctx));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        } catch (SQLException e) {
            throw sqlFailure("logging in with the PENDING credentials of role '" + pending.username() + "' failed", e);
        }
    }

    /**
     * Sets the target back after a cancel: single-user, the role's password back to {@code CURRENT}'s
     * (logged in with the pending one, if the database has it); alternating-users, the pending role's
     * password back to {@code PREVIOUS}'s when it was that role's.
     */
    @Override
    public void cancelSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        boolean redshift = isRedshift(ctx);
        int timeout = DbRotation.timeout(ctx.parameters());
        String alter = redshift ? "ALTER USER %I PASSWORD %L" : "ALTER ROLE %I WITH PASSWORD %L";
        if (DbRotation.alternating(ctx.parameters())) {
            java.util.Optional<dev.secrets.SecretVersion> previous = ctx.previous();
            if (previous.isEmpty()) {
                return;
            }
            DatabaseCredentials prev = DbRotation.creds(previous.get(), "PREVIOUS");
            if (!prev.username().equals(pending.username()) || canLogIn(prev, timeout, redshift)) {
                return;
            }
            DatabaseCredentials admin = DbRotation.adminCreds(ctx, pending, 5432);
            try (Connection c = connect(admin, timeout, false)) {
                execute(c, alter, prev.username(), prev.password());
            } catch (SQLException e) {
                throw sqlFailure("setting the password of role '" + prev.username() + "' back to PREVIOUS's failed", e);
            }
            return;
        }
        DatabaseCredentials current = DbRotation.creds(ctx.current().orElseThrow(), "CURRENT");
        if (canLogIn(current, timeout, redshift)) {
            return;
        }
        try (Connection c = connect(pending, timeout, redshift)) {
            execute(c, alter, pending.username(), current.password());
        } catch (SQLException e) {
            throw sqlFailure("setting the password of role '" + pending.username() + "' back to CURRENT's failed", e);
        }
    }

    // ================================================================ helpers

    /**
     * Gives the clone the role attributes of the base role that membership does not pass on
     * ({@code CREATEROLE}, {@code CREATEDB}), so that an admin secret rotated with alternating users
     * (its own admin) keeps its powers under either name.
     */
    private static void copyAttributes(Connection c, String base, String clone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, base);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                if (rs.getBoolean(1)) {
                    execute(c, "ALTER ROLE %I CREATEROLE", clone);
                }
                if (rs.getBoolean(2)) {
                    execute(c, "ALTER ROLE %I CREATEDB", clone);
                }
            }
        }
    }

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

    private static boolean canLogIn(DatabaseCredentials creds, int timeout, boolean redshift) {
        try (Connection c = connect(creds, timeout, redshift)) {
            return c.isValid(timeout);
        } catch (SQLException e) {
            if (isLoginRefused(e)) {
                return false;
            }
            throw sqlFailure("cannot reach " + (redshift ? "Redshift" : "PostgreSQL") + " at "
                    + DbRotation.address(creds, redshift ? 5439 : 5432), e);
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

    /**
     * Runs {@code template} with each {@code %I} replaced by the next value quoted as an identifier and each
     * {@code %L} as a literal — by the server ({@code quote_ident}, {@code quote_literal}), from bound parameters.
     */
    private static void execute(Connection c, String template, String... args) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ''");
        java.util.List<String> binds = new java.util.ArrayList<>();
        int arg = 0;
        int from = 0;
        for (int i = template.indexOf('%'); i >= 0; i = template.indexOf('%', from)) {
            char kind = template.charAt(i + 1);
            sql.append(" || CAST(? AS varchar)");
            binds.add(template.substring(from, i));
            sql.append(kind == 'I' ? " || quote_ident(CAST(? AS varchar))" : " || quote_literal(CAST(? AS varchar))");
            binds.add(args[arg++]);
            from = i + 2;
        }
        sql.append(" || CAST(? AS varchar)");
        binds.add(template.substring(from));
        String statement;
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < binds.size(); i++) {
                ps.setString(i + 1, binds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                statement = rs.getString(1);
            }
        }
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(statement);
        }
    }

    private static Connection connect(DatabaseCredentials creds, int timeout, boolean redshift) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", creds.username());
        props.setProperty("password", creds.password());
        props.setProperty("connectTimeout", Integer.toString(timeout));
        props.setProperty("loginTimeout", Integer.toString(timeout));
        // Bounds every statement too, so that a step ends well within the rotation lease.
        props.setProperty("socketTimeout", Integer.toString(Math.max(60, 6 * timeout)));
        props.setProperty("ApplicationName", "secrets-rotation");
        return DriverManager.getConnection(url(creds, redshift), props);
    }

    private static String url(DatabaseCredentials creds, boolean redshift) {
        String host = creds.host().orElse(null);
        if (host == null || host.isBlank()) {
            throw new SecretsException("the database secret has no field 'host'; the " + (redshift ? REDSHIFT : NAME)
                    + " rotator needs host (and optionally port, dbname)");
        }
        if (!HOST.matcher(host).matches()) {
            throw new SecretsException("the database secret's field 'host' is not a host name or IP address");
        }
        String port = creds.port().orElse(null) == null ? (redshift ? "5439" : "5432") : creds.port().orElse(null);
        if (!PORT.matcher(port).matches()) {
            throw new SecretsException("the database secret's field 'port' is not a port number");
        }
        String db = creds.dbname().filter(d -> !d.isEmpty()).orElse(redshift ? "dev" : "postgres");
        return DIALECT.url(host, port, db, null);
    }

    private static SecretsException sqlFailure(String what, SQLException e) {
        return DbRotation.sqlFailure(what, e, DRIVER_CLASS);
    }
}
