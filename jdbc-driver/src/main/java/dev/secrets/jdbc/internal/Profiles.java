package dev.secrets.jdbc.internal;

import dev.secrets.ConfigurationException;
import dev.secrets.DatabaseCredentials;
import dev.secrets.JdbcSettings;
import dev.secrets.SecretsClient;
import dev.secrets.SecretsConfig;
import dev.secrets.SecretsException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * {@link Profile}s by their explicit {@code secrets.*} connection properties, and clients by the
 * store settings among them: connections with the same settings share one {@link SecretsClient}
 * (and so one cache). The rest of the configuration chain (system properties, environment, files)
 * is read when a profile is first built, then kept. Thread-safe.
 */
public final class Profiles {
    /** Connection properties with this prefix configure the driver and are not given to the real driver. */
    public static final String PREFIX = "secrets.";

    private final ConcurrentMap<Map<String, String>, Profile> profiles = new ConcurrentHashMap<>();
    private final ConcurrentMap<Map<String, String>, SecretsClient> clients = new ConcurrentHashMap<>();
    private final Supplier<SecretsConfig> application;

    /** Profiles whose application configuration is the process's: system properties, environment, files. */
    public Profiles() {
        this(() -> SecretsConfig.load(Map.of()));
    }

    /** @param application the application's own configuration chain (without connection properties), read per new profile */
    Profiles(Supplier<SecretsConfig> application) {
        this.application = application;
    }

    /**
     * Splits connection properties in one pass: returns the {@code secrets.*} entries, as text; puts
     * into {@code pass} what the real driver gets — everything else but {@code skipped} (the secret
     * ID, user and password, which the caller sets itself).
     */
    public static Map<String, String> split(Properties info, Properties pass, Set<String> skipped) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : info.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                settings.put(name, info.getProperty(name));
            } else if (!skipped.contains(name)) {
                pass.setProperty(name, info.getProperty(name));
            }
        }
        return settings;
    }

    /**
     * The profile for these explicit settings.
     *
     * @throws SQLException (SQLState 28000) when they set {@code secrets.store}, {@code secrets.config} or
     *     {@code secrets.audit.log} against the application's configuration ({@link ConnectionOverrides});
     *     (SQLState 08001) when the configuration is incomplete or wrong, or the store cannot be opened
     */
    public Profile forSettings(Map<String, String> settings) throws SQLException {
        Profile p = profiles.get(settings);
        if (p != null) {
            return p;
        }
        SecretsConfig app;
        try {
            app = application.get();
        } catch (SecretsException e) {
            throw new SQLException("jdbc:secrets: could not read the application's configuration: " + e.getMessage(), "08001", e);
        }
        ConnectionOverrides.check(settings, app);
        try {
            return profiles.computeIfAbsent(Map.copyOf(settings), s -> build(s, app));
        } catch (SecretsException e) {
            throw new SQLException("jdbc:secrets: could not set up the secrets client: " + e.getMessage(), "08001", e);
        }
    }

    private Profile build(Map<String, String> settings, SecretsConfig app) {
        SecretsConfig config = app.with(settings);
        String store = config.get(SecretsConfig.STORE).orElse(null);
        Map<String, String> storeSettings = new TreeMap<>(settings);
        storeSettings.keySet().removeIf(k -> k.startsWith(JdbcSettings.PREFIX));
        SecretsClient client = clients.computeIfAbsent(Map.copyOf(storeSettings), k -> SecretsClient.fromConfig(config));
        int retries = config.integer(JdbcSettings.MAX_RETRIES, 8, 0);
        Duration budget = config.duration(JdbcSettings.RETRY_BUDGET, Duration.ofSeconds(10));
        if (budget.isNegative()) {
            throw new ConfigurationException(JdbcSettings.RETRY_BUDGET + " must not be negative");
        }
        // Only the application's own configuration may allow another host: connection properties travel with the URL.
        boolean allowOtherHost = app.bool(HostPinning.ALLOW_OTHER_HOST, false);
        return new Profile(client, store, DatabaseCredentials.FieldNames.from(config), retries, budget, allowOtherHost);
    }
}
