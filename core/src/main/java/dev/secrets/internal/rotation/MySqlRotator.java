package dev.secrets.internal.rotation;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.sql.SQLException;
import dev.secrets.SecretVersion;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mysql}: rotates the password of a MySQL (5.7+, 8) or MariaDB (10.5+) account held in a
 * database secret ({@code username}, {@code password}, {@code host}, optional {@code port} (3306) and
 * {@code dbname}). One rotator for both servers: the dialect is read from the server's
 * {@code VERSION()} at each login ({@link MySqlSession}). Talks through MariaDB Connector/J
 * ({@code org.mariadb.jdbc:mariadb-java-client}), which speaks to both; {@link #validate} says so when it
 * is missing, before the rotation is configured.
 *
 * <p>Parameters: those of {@code postgresql} ({@code strategy}, {@code adminSecretId},
 * {@code cloneSuffix}, {@code connectTimeout}, the password options of
 * {@link RandomPassword#fromParameters(Map)}) and {@code accountHost} (the host part of the accounts,
 * default {@code %}); TLS: {@code sslMode} ({@code disable}, {@code trust}, {@code verify-ca},
 * {@code verify-full}) and {@code sslServerCert} (a CA or server certificate file); drain:
 * {@code drain} and {@code drainTimeout} ({@link SessionDrain}).
 *
 * <ul>
 *   <li><b>single-user</b>: the account changes its own password, logged in with {@code CURRENT} (or
 *       {@code PREVIOUS}): {@code ALTER USER USER() IDENTIFIED BY} on MySQL, {@code SET PASSWORD =
 *       PASSWORD(…)} on MariaDB (where {@code ALTER USER} needs the {@code CREATE USER} privilege even for
 *       oneself).</li>
 *   <li><b>alternating-users</b>: two accounts {@code user@host} and {@code user_clone@host}, changed by
 *       the admin secret's account, logged in at the admin secret's own endpoint. The clone is created on
 *       first use with the grants of {@code user} ({@code SHOW GRANTS} replayed; a grant that cannot be
 *       replayed fails the step with the grant named); they are replayed again at each rotation to the
 *       clone, so later grants to {@code user} reach it.</li>
 * </ul>
 *
 * <p>{@code setSecret} does nothing to a password that the pending credentials already log in with (a
 * resumed rotation). No SQL text is built from a secret's fields on the client: names and passwords
 * are bound parameters, quoted by the server, and the statement runs as a server-side prepared
 * statement ({@link MySqlSession#execute}). Thread-safe (stateless).
 */
public final class MySqlRotator implements Rotator {
    public static final String NAME = "mysql";
    public static final String ACCOUNT_HOST = "accountHost";
    /** The JDBC driver the rotator needs: MariaDB Connector/J, which also speaks to MySQL servers. */
    static final String DRIVER_CLASS = "org.mariadb.jdbc.Driver";

    private final ClassLoader driverLoader;

    public MySqlRotator() {
        this(null);
    }

    /** For tests: looks for the JDBC driver in {@code driverLoader} instead of this class's loader. */
    MySqlRotator(ClassLoader driverLoader) {
        this.driverLoader = driverLoader;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> p) {
        DbRotation.validate(NAME, p);
        MySqlSession.Options.of(p);
        String host = p.get(ACCOUNT_HOST);
        if (host != null && (host.isEmpty() || host.length() > 255)) {
            throw new InvalidSecretException("parameter " + ACCOUNT_HOST + " must be 1 to 255 characters");
        }
        DbRotation.requireDriver(driverLoader == null ? MySqlRotator.class.getClassLoader() : driverLoader, DRIVER_CLASS,
                NAME, "MariaDB Connector/J (org.mariadb.jdbc:mariadb-java-client)");
    }

    @Override
    public void createSecret(RotationContext ctx) {
        DbRotation.createSecret(ctx, NAME);
    }

    @Override
    public void setSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        MySqlSession.Options options = MySqlSession.Options.of(ctx.parameters());
        String host = accountHost(ctx);
        boolean alternating = DbRotation.alternating(ctx.parameters());
        if (MySqlSession.canLogIn(pending, options)) {
            if (alternating) {
                asAdmin(ctx, pending, options, admin -> syncGrants(admin, ctx, pending, host));
            }
            return; // the password was set by an earlier attempt
        }
        if (alternating) {
            asAdmin(ctx, pending, options, admin -> {
                String user = pending.username();
                if (!admin.accountExists(user, host)) {
                    admin.execute("CREATE USER %L@%L IDENTIFIED BY %L", user, host, pending.password());
                } else {
                    SessionDrain.awaitNoSessions(ctx, user, () -> admin.sessionsOf(user));
                    admin.execute("ALTER USER %L@%L IDENTIFIED BY %L", user, host, pending.password());
                }
                syncGrants(admin, ctx, pending, host);
            });
        } else {
            try (MySqlSession self = DbRotation.loginAsOldSelf(ctx, pending, creds -> MySqlSession.open(creds, options),
                    MySqlSession::isLoginRefused)) {
                if (self.isMariaDb()) {
                    self.execute("SET PASSWORD = PASSWORD(%L)", pending.password());
                } else {
                    self.execute("ALTER USER USER() IDENTIFIED BY %L", pending.password());
                }
            } catch (SQLException e) {
                throw DbRotation.sqlFailure("setting the password of account '" + pending.username() + "' failed", e, DRIVER_CLASS);
            }
        }
    }

    @Override
    public void testSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        try (MySqlSession s = MySqlSession.open(pending, MySqlSession.Options.of(ctx.parameters()))) {
            s.ping();
        } catch (SQLException e) {
            throw DbRotation.sqlFailure("logging in with the PENDING credentials of account '" + pending.username() + "' failed", e,
                    DRIVER_CLASS);
        }
    }

    /**
     * Sets the target back after a cancel: single-user, the account's password back to {@code CURRENT}'s
     * (logged in with the pending one, if the database has it); alternating-users, the pending account's
     * password back to {@code PREVIOUS}'s when it was that account's.
     */
    @Override
    public void cancelSecret(RotationContext ctx) {
        DatabaseCredentials pending = DbRotation.pending(ctx);
        MySqlSession.Options options = MySqlSession.Options.of(ctx.parameters());
        if (DbRotation.alternating(ctx.parameters())) {
            Optional<SecretVersion> previous = ctx.previous();
            if (previous.isEmpty()) {
                return;
            }
            DatabaseCredentials prev = DbRotation.creds(previous.get(), "PREVIOUS");
            if (!prev.username().equals(pending.username()) || MySqlSession.canLogIn(prev, options)) {
                return;
            }
            asAdmin(ctx, pending, options, admin -> admin.execute("ALTER USER %L@%L IDENTIFIED BY %L", prev.username(), accountHost(ctx),
                    prev.password()));
            return;
        }
        DatabaseCredentials current = DbRotation.creds(ctx.current().orElseThrow(), "CURRENT");
        if (MySqlSession.canLogIn(current, options)) {
            return;
        }
        try (MySqlSession self = MySqlSession.open(pending, options)) {
            if (self.isMariaDb()) {
                self.execute("SET PASSWORD = PASSWORD(%L)", current.password());
            } else {
                self.execute("ALTER USER USER() IDENTIFIED BY %L", current.password());
            }
        } catch (SQLException e) {
            throw DbRotation.sqlFailure("setting the password of account '" + pending.username() + "' back to CURRENT's failed",
                    e, DRIVER_CLASS);
        }
    }

    // ================================================================ helpers

    private static String accountHost(RotationContext ctx) {
        return ctx.parameters().getOrDefault(ACCOUNT_HOST, "%");
    }

    /** When the pending user is the clone, gives it the grants of the base user (idempotent). */
    private static void syncGrants(MySqlSession admin, RotationContext ctx, DatabaseCredentials pending, String host) throws SQLException {
        String base = DbRotation.baseUser(pending.username(), DbRotation.suffix(ctx));
        if (!base.equals(pending.username())) {
            admin.copyGrants(base, pending.username(), host);
        }
    }

    private interface AdminWork {
        void run(MySqlSession admin) throws SQLException;
    }

    private static void asAdmin(RotationContext ctx, DatabaseCredentials target, MySqlSession.Options options, AdminWork work) {
        DatabaseCredentials admin = DbRotation.adminCreds(ctx, target, 3306);
        try (MySqlSession s = MySqlSession.open(admin, options)) {
            work.run(s);
        } catch (SQLException e) {
            throw DbRotation.sqlFailure("changing the accounts as the admin account '" + admin.username() + "' failed", e, DRIVER_CLASS);
        }
    }
}
