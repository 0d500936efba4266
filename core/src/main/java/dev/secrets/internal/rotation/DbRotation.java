package dev.secrets.internal.rotation;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretId;
import dev.secrets.SecretNotFoundException;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.SecretsException;
import dev.secrets.ValueType;
import dev.secrets.spi.RotationContext;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the database rotators share: their common parameters ({@code strategy}, {@code adminSecretId},
 * {@code cloneSuffix}, {@code connectTimeout}, password options, {@code drain}), the
 * {@code createSecret} step, the credentials of the pending, old and admin versions, and error text
 * that names the missing driver. Stateless.
 */
final class DbRotation {
    static final String STRATEGY = "strategy";
    static final String SINGLE_USER = "single-user";
    static final String ALTERNATING_USERS = "alternating-users";
    static final String ADMIN_SECRET_ID = "adminSecretId";
    static final String CLONE_SUFFIX = "cloneSuffix";
    static final String CONNECT_TIMEOUT = "connectTimeout";

    private DbRotation() {
    }

    /** Checks the shared parameters of rotator {@code name}. */
    static void validate(String name, Map<String, String> p) {
        if (ALTERNATING_USERS.equals(strategy(name, p))) {
            String admin = p.get(ADMIN_SECRET_ID);
            if (admin == null || admin.isBlank()) {
                throw new InvalidSecretException("the alternating-users strategy of rotator " + name + " needs parameter "
                        + ADMIN_SECRET_ID + ": the ID of a secret with the credentials of an account that can create users");
            }
            SecretId.of(admin);
        }
        timeout(p);
        RandomPassword.fromParameters(p);
        String suffix = p.get(CLONE_SUFFIX);
        if (suffix != null && suffix.isEmpty()) {
            throw new InvalidSecretException("parameter " + CLONE_SUFFIX + " must not be empty");
        }
        SessionDrain.Mode.of(p);
        SessionDrain.timeout(p);
    }

    static String strategy(String name, Map<String, String> p) {
        String s = p.getOrDefault(STRATEGY, SINGLE_USER);
        if (!s.equals(SINGLE_USER) && !s.equals(ALTERNATING_USERS)) {
            throw new InvalidSecretException("parameter " + STRATEGY + " of rotator " + name + " is '" + s + "'; use "
                    + SINGLE_USER + " or " + ALTERNATING_USERS);
        }
        return s;
    }

    static boolean alternating(Map<String, String> p) {
        return ALTERNATING_USERS.equals(p.getOrDefault(STRATEGY, SINGLE_USER));
    }

    /** {@code connectTimeout} in seconds, 1 to 600 (default 10). */
    static int timeout(Map<String, String> p) {
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

    /**
     * Refuses a rotator whose JDBC driver is not on the class path when rotation is configured, rather than
     * at the first {@code setSecret}.
     */
    static void requireDriver(ClassLoader loader, String driverClass, String rotator, String artifact) {
        try {
            Class.forName(driverClass, false, loader);
            return;
        } catch (ClassNotFoundException | LinkageError e) {
            // try the thread's loader too (application servers, the CLI's plug-in folder)
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null && tccl != loader) {
            try {
                Class.forName(driverClass, false, tccl);
                return;
            } catch (ClassNotFoundException | LinkageError e) {
                // reported below
            }
        }
        throw new InvalidSecretException("rotator " + rotator + " needs the JDBC driver " + artifact
                + " on the class path, and it is not there (" + driverClass + " not found)");
    }

    /** Step 1 of both database rotators: a new password (and, alternating, the other user name). */
    static void createSecret(RotationContext ctx, String name) {
        createSecret(ctx, name, ctx.parameters());
    }

    /** The same, with the password options read from {@code passwordOptions} (parameters with engine defaults). */
    static void createSecret(RotationContext ctx, String name, Map<String, String> passwordOptions) {
        if (ctx.pendingValue().isPresent()) {
            return;
        }
        Optional<SecretVersion> current = ctx.current();
        if (current.isEmpty()) {
            throw new SecretsException("secret '" + ctx.secretId() + "' has no CURRENT value to rotate");
        }
        DatabaseCredentials cur = DbRotation.creds(current.get(), "CURRENT");
        String password = RandomPassword.fromParameters(passwordOptions).generate(ctx.random());
        SecretValue base = current.get().value();
        if (base.type() == ValueType.TEXT) {
            base = SecretValue.ofJson(base.text()); // a JSON-object SecretString, as AWS keeps credentials (creds() read it so)
        }
        SecretValue next = RandomPasswordRotator.withField(Optional.of(base), "password", password, name);
        if (alternating(ctx.parameters())) {
            next = RandomPasswordRotator.withField(Optional.of(next), "username", otherUser(cur.username(), suffix(ctx)), name);
        }
        ctx.putPendingValue(next);
    }

    static String suffix(RotationContext ctx) {
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
     * The credentials in a version of a database secret.
     *
     * @param what how the version is named in errors ("CURRENT", "admin secret 'x'")
     * @throws SecretsException naming the missing field, never a value
     */
    static DatabaseCredentials creds(SecretVersion v, String what) {
        DatabaseCredentials c;
        try {
            c = DatabaseCredentials.from(v);
        } catch (InvalidSecretException e) {
            throw new SecretsException("the " + what + " value: " + e.getMessage(), e);
        }
        if (c.username().isEmpty()) {
            throw new SecretsException("the " + what + " value of secret '" + v.secretId() + "' has an empty field username");
        }
        return c;
    }

    /** {@code host:port} for messages, with {@code defaultPort} when the secret names none. */
    static String address(DatabaseCredentials c, int defaultPort) {
        return c.host().orElse("?") + ":" + c.port().orElse(Integer.toString(defaultPort));
    }

    static DatabaseCredentials pending(RotationContext ctx) {
        return DbRotation.creds(ctx.pendingValue().orElseThrow(() -> new SecretsException("secret '" + ctx.secretId()
                + "' has no pending version " + ctx.token() + "; createSecret did not run")), "PENDING");
    }

    /**
     * The admin secret's login and its own endpoint, which must be the rotated secret's server: the admin
     * password goes only to the host and port its own secret names, never to one the rotated secret
     * names (whoever writes that secret would otherwise choose where the admin password is sent).
     *
     * @param target      the rotated secret's pending credentials (its endpoint)
     * @param defaultPort the engine's port when a secret names none
     */
    static DatabaseCredentials adminCreds(RotationContext ctx, DatabaseCredentials target, int defaultPort) {
        String adminId = ctx.parameters().get(ADMIN_SECRET_ID);
        SecretVersion adminSecret;
        try {
            adminSecret = ctx.readSecret(adminId);
        } catch (SecretNotFoundException e) {
            throw new SecretsException("the admin secret '" + adminId + "' named by parameter " + ADMIN_SECRET_ID
                    + " cannot be read: " + e.getMessage(), e);
        }
        DatabaseCredentials admin = creds(adminSecret, "admin secret '" + adminId + "'");
        String adminHost = admin.host().orElse("");
        String port = Integer.toString(defaultPort);
        if (adminHost.isBlank() || !adminHost.equalsIgnoreCase(target.host().orElse(""))
                || !admin.port().orElse(port).equals(target.port().orElse(port))) {
            throw new SecretsException("the admin secret '" + adminId + "' names "
                    + (adminHost.isBlank() ? "no host" : address(admin, defaultPort)) + ", not the server of secret '"
                    + ctx.secretId() + "' (" + address(target, defaultPort) + "); the admin login goes only to the admin"
                    + " secret's own host and port, so both secrets must name the same server");
        }
        return admin;
    }

    /** Opens a session on the target. */
    interface Opener<S> {
        S open(DatabaseCredentials creds) throws SQLException;
    }

    /**
     * Single-user: logs in as the pending user with the {@code CURRENT} password, else the
     * {@code PREVIOUS} one (when {@code CURRENT} was changed by hand, or a failed rotation is being resumed).
     */
    static <S> S loginAsOldSelf(RotationContext ctx, DatabaseCredentials pending, Opener<S> opener, Predicate<SQLException> refused) {
        SQLException first = null;
        for (String label : new String[] {"CURRENT", "PREVIOUS"}) {
            Optional<SecretVersion> v = label.equals("CURRENT") ? ctx.current() : ctx.previous();
            if (v.isEmpty() || v.get().versionId().equals(ctx.token())) {
                continue;
            }
            DatabaseCredentials creds = DbRotation.creds(v.get(), label);
            try {
                return opener.open(pending.withLogin(creds.username(), creds.password()));
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
                if (!refused.test(e)) {
                    break;
                }
            }
        }
        throw sqlFailure("cannot log in to change the password of '" + pending.username()
                + "': neither the CURRENT nor the PREVIOUS credentials are accepted", first, null);
    }

    static SecretsException sqlFailure(String what, SQLException e, String driverClass) {
        if (e == null) {
            return new SecretsException(what);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.startsWith("No suitable driver")) {
            return new SecretsException(what + ": the JDBC driver " + (driverClass == null ? "" : driverClass + " ")
                    + "is not on the class path", e);
        }
        return new SecretsException(what + ": " + msg + " (SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ")", e);
    }
}
