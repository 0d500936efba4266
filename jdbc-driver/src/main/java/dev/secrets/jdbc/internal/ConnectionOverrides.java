package dev.secrets.jdbc.internal;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What JDBC connection properties may say about where the driver's client reads and writes:
 * {@code secrets.store} (an attacker's store: the application would use the database the attacker
 * chose), {@code secrets.config} (another configuration file) and {@code secrets.audit.log} (the
 * audit trail moved, or a file written anywhere the process may write). Connection properties
 * travel with the URL, so someone who controls a configuration string may control them too; the
 * application's own configuration (system properties, environment, the configuration file it
 * names, {@code secrets.properties}) decides, with {@value #KEY}:
 * <ul>
 *   <li>{@code if-unset} (the default): a connection property may set one of them only where the
 *       application's own configuration sets none (or the same value): it fills in, it never
 *       redirects. Applications that give the store only through connection properties (the
 *       HikariCP {@code dataSourceProperties}, Spring's {@code jdbc:secrets:} pools) keep working;</li>
 *   <li>{@code never}: connection properties may not set them at all;</li>
 *   <li>{@code always}: connection properties may set them to anything.</li>
 * </ul>
 * URL parameters never set {@code secrets.*} settings (see {@link SecretsUrl}).
 */
final class ConnectionOverrides {
    /** The application's choice: {@code if-unset} (default), {@code never} or {@code always}. */
    static final String KEY = "secrets.jdbc.connection-overrides";

    /** The settings guarded here. */
    static final List<String> GUARDED = List.of(SecretsConfig.STORE, SecretsConfig.CONFIG_FILE, SecretsConfig.AUDIT_LOG);

    private ConnectionOverrides() {
    }

    /**
     * @param connection the {@code secrets.*} connection properties
     * @param application the application's own configuration (no connection properties in it)
     * @throws SQLException (SQLState 28000) when a connection property sets a guarded setting the application does not allow
     */
    static void check(Map<String, String> connection, SecretsConfig application) throws SQLException {
        String mode;
        try {
            mode = application.get(KEY).orElse("if-unset").toLowerCase(Locale.ROOT);
        } catch (ConfigurationException e) {
            throw new SQLException("jdbc:secrets: could not read the application's configuration: " + e.getMessage(), "08001", e);
        }
        if (!mode.equals("if-unset") && !mode.equals("never") && !mode.equals("always")) {
            throw new SQLException("jdbc:secrets: " + KEY + " is '" + mode + "'; write if-unset, never or always", "08001");
        }
        if (mode.equals("always")) {
            return;
        }
        for (String key : GUARDED) {
            String value = connection.get(key);
            if (value == null || value.isBlank()) {
                continue;
            }
            Optional<String> own = application.get(key);
            if (mode.equals("never")) {
                throw refused(key, "the application's configuration sets " + KEY + "=never");
            }
            if (own.isPresent() && !own.get().equals(value.trim())) {
                throw refused(key, "the application's own configuration sets another " + key);
            }
        }
    }

    private static SQLException refused(String key, String why) {
        // The values are paths and URIs, not secrets; still, name only the setting: the message may reach whoever set it.
        return new SQLException("jdbc:secrets: refused the connection property " + key + ": " + why + "; connection properties "
                + "may not move the store, the configuration file or the audit log (set " + KEY + "=always in the application's "
                + "own configuration — system properties, environment or configuration file — to allow it)", "28000");
    }
}
