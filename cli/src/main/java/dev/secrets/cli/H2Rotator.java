package dev.secrets.cli;

import dev.secrets.DatabaseCredentials;
import dev.secrets.InvalidSecretException;
import dev.secrets.RandomPassword;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.spi.DatabaseDialect;
import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code h2}: single-user rotation of an H2 database user — the secret's own user changes its own
 * password ({@code ALTER USER … SET PASSWORD}). Parameter {@code url}: the H2 JDBC URL
 * ({@code jdbc:h2:…}, no credentials); password options as for {@code random-password}
 * ({@link RandomPassword#fromParameters}). Used by {@code secrets demo}; every step is idempotent.
 * Thread-safe (stateless).
 */
public final class H2Rotator implements Rotator {
    public static final String NAME = "h2";
    public static final String URL = "url";
    private static final DatabaseDialect DIALECT = DatabaseDialect.of("h2");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        safeUrl(parameters);
        RandomPassword.fromParameters(without(parameters, URL));
    }

    /**
     * The {@code url} parameter, if it names a local H2 database and carries no setting. Checked at
     * configuration and again before every connection (settings may predate the check): a
     * {@code ;} setting runs code in the runner ({@code INIT=RUNSCRIPT FROM 'http://…'}), and a
     * remote server ({@code tcp:}, {@code ssl:}) would receive the login.
     */
    static String safeUrl(Map<String, String> parameters) {
        String url = parameters.get(URL);
        if (url == null || !url.startsWith("jdbc:h2:")) {
            throw new InvalidSecretException("rotator " + NAME + " needs parameter " + URL + "=jdbc:h2:… (the database, without credentials)");
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(java.util.Locale.ROOT);
        if (url.indexOf(';') >= 0) {
            throw new InvalidSecretException("parameter " + URL + " of rotator " + NAME + " must not carry settings (';'): settings such as"
                    + " INIT run code in the process that rotates; give the database only (jdbc:h2:file:PATH or jdbc:h2:mem:NAME)");
        }
        if (rest.startsWith("tcp:") || rest.startsWith("ssl:") || url.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSecretException("parameter " + URL + " of rotator " + NAME + " must name a local database"
                    + " (jdbc:h2:file:PATH or jdbc:h2:mem:NAME), not a server");
        }
        return url;
    }

    @Override
    public void createSecret(RotationContext context) {
        if (context.pendingValue().isPresent()) {
            return;
        }
        SecretVersion current = context.current().orElseThrow(() -> new InvalidSecretException(
                "secret '" + context.secretId() + "' has no CURRENT value with the user to rotate"));
        Map<String, String> fields = new LinkedHashMap<>(current.value().fields());
        fields.put(DatabaseCredentials.PASSWORD, RandomPassword.fromParameters(without(context.parameters(), URL)).generate(context.random()));
        context.putPendingValue(SecretValue.ofFields(fields));
    }

    @Override
    public void setSecret(RotationContext context) {
        DatabaseCredentials pending = DatabaseCredentials.from(context.pendingValue().orElseThrow());
        String url = safeUrl(context.parameters());
        String user = user(pending);
        if (canLogIn(url, user, pending.password())) {
            return; // set by an earlier attempt that stopped before recording it
        }
        DatabaseCredentials current = DatabaseCredentials.from(context.current().orElseThrow());
        try (Connection c = DriverManager.getConnection(url, user, current.password()); Statement s = c.createStatement()) {
            s.execute("ALTER USER " + user + " SET PASSWORD '" + pending.password().replace("'", "''") + "'");
        } catch (SQLException e) {
            // The driver's message never holds the password; the statement text is not kept.
            throw new IllegalStateException("could not change the password of H2 user " + user + " (SQLState " + e.getSQLState() + ")");
        }
    }

    @Override
    public void testSecret(RotationContext context) {
        DatabaseCredentials pending = DatabaseCredentials.from(context.pendingValue().orElseThrow());
        if (!canLogIn(safeUrl(context.parameters()), user(pending), pending.password())) {
            throw new IllegalStateException("H2 refuses the pending password of user " + user(pending));
        }
    }

    private static String user(DatabaseCredentials c) {
        String u = c.username();
        if (!USER.matcher(u).matches()) {
            throw new InvalidSecretException("rotator " + NAME + " rotates users named with letters, digits and _ only");
        }
        return u;
    }

    private static boolean canLogIn(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.isValid(5);
        } catch (SQLException e) {
            if (DIALECT.isLoginFailure(e)) {
                return false;
            }
            throw new IllegalStateException("cannot reach H2 at " + url + " (SQLState " + e.getSQLState() + ")");
        }
    }

    private static Map<String, String> without(Map<String, String> m, String key) {
        Map<String, String> copy = new LinkedHashMap<>(m);
        copy.remove(key);
        return copy;
    }
}
