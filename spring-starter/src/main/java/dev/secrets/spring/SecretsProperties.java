package dev.secrets.spring;

import dev.secrets.JdbcSettings;
import dev.secrets.SecretsConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code secrets.*} settings of a Spring application, bound from {@code application.properties},
 * the environment ({@code SECRETS_STORE}, …) or any other Spring property source. They form the
 * <em>explicit</em> (highest) layer of the {@link SecretsConfig} chain; what they leave unset is
 * read from the rest of the chain (system properties, {@code SECRETS_*} variables,
 * {@code secrets.config}, {@code secrets.properties}).
 *
 * <p>A mutable JavaBean, as Spring binding needs; the client built from it is fixed once built.
 */
@ConfigurationProperties(SecretsProperties.CONFIG_PREFIX)
public class SecretsProperties {
    /** The prefix of every property of this class. */
    public static final String CONFIG_PREFIX = "secrets";

    /**
     * Whether the starter configures a client, the change watcher and the health indicator.
     * {@code spring.config.import=secrets:…} works regardless.
     */
    private boolean enabled = true;

    /** Store URI: file:PATH (a local directory) or s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&pathStyle=true]. */
    private String store;

    /** Key URI of the master key named 'default': env:NAME, file:PATH or passphrase-env:NAME. */
    private String key;

    /** Key URIs of further master keys, by master key name (secrets.keys.team-a=file:/etc/keys/team-a). */
    private Map<String, String> keys = new LinkedHashMap<>();

    /** Name recorded as the principal of every audit event of this application's client. */
    private String principal;

    /** Path of a properties file with further secrets.* settings, read below the Spring properties. */
    private String config;

    /** Read cache settings. */
    private final Cache cache = new Cache();

    /** Audit settings. */
    private final Audit audit = new Audit();

    /** Change watching of the secrets imported with spring.config.import=secrets:… (superseded by reload). */
    private final Watch watch = new Watch();

    /** What happens when an imported secret changes in the store. */
    private final Reload reload = new Reload();

    /** Database credentials from a secret (jdbc:secrets: URLs and the HikariCP credentials provider). */
    private final Jdbc jdbc = new Jdbc();

    /** What spring.config.import=secrets:… may set. */
    private final Import importSettings = new Import();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    public String getConfig() {
        return config;
    }

    public void setConfig(String config) {
        this.config = config;
    }

    public Cache getCache() {
        return cache;
    }

    public Audit getAudit() {
        return audit;
    }

    public Watch getWatch() {
        return watch;
    }

    public Reload getReload() {
        return reload;
    }

    /** The reload strategy in effect: {@code secrets.reload.strategy}, else {@code event} when {@code secrets.watch.enabled=true}, else {@code none}. */
    public ReloadStrategy effectiveReloadStrategy() {
        if (reload.strategy != null) {
            return reload.strategy;
        }
        return watch.enabled ? ReloadStrategy.EVENT : ReloadStrategy.NONE;
    }

    /** The reload period in effect: {@code secrets.reload.period}, else {@code secrets.watch.interval}. */
    public Duration effectiveReloadPeriod() {
        return reload.period != null ? reload.period : watch.interval;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Import getImport() {
        return importSettings;
    }

    /**
     * These settings as the explicit layer of the configuration chain: only what is set.
     *
     * @return keys of {@link SecretsConfig} ({@code secrets.store}, …) to their values
     */
    public Map<String, String> toConfigSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, SecretsConfig.STORE, store);
        put(m, SecretsConfig.KEY, key);
        keys.forEach((name, uri) -> put(m, SecretsConfig.KEYS_PREFIX + name, uri));
        put(m, SecretsConfig.PRINCIPAL, principal);
        put(m, SecretsConfig.CONFIG_FILE, config);
        put(m, SecretsConfig.CACHE_TTL, cache.ttl == null ? null : cache.ttl.toString());
        put(m, SecretsConfig.CACHE_MAX_SIZE, cache.maxSize == null ? null : cache.maxSize.toString());
        put(m, SecretsConfig.AUDIT_LOG, audit.log);
        put(m, Jdbc.USERNAME_FIELD, jdbc.usernameField);
        put(m, Jdbc.PASSWORD_FIELD, jdbc.passwordField);
        return m;
    }

    /** The configuration chain with these settings on top. */
    public SecretsConfig toSecretsConfig() {
        return SecretsConfig.load(toConfigSettings());
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value);
        }
    }

    /** Read cache settings. */
    public static class Cache {
        /** How long a read value is reused before the store is asked again (90s, 15m, 1h). Default 1h. */
        private Duration ttl;

        /** How many secrets are cached at most. Default 1024. */
        private Integer maxSize;

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Integer getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(Integer maxSize) {
            this.maxSize = maxSize;
        }
    }

    /** Audit settings. */
    public static class Audit {
        /** Path of the JSON-lines audit log, hash-chained; none by default. */
        private String log;

        public String getLog() {
            return log;
        }

        public void setLog(String log) {
            this.log = log;
        }
    }

    /** Database credentials from a secret. */
    public static class Jdbc {
        static final String USERNAME_FIELD = JdbcSettings.USERNAME_FIELD;
        static final String PASSWORD_FIELD = JdbcSettings.PASSWORD_FIELD;

        /**
         * Secret whose username and password the auto-configured HikariCP DataSource (bean 'dataSource') gets
         * for each new connection when its URL is the database's own (jdbc:postgresql:…), not jdbc:secrets:.
         */
        private String secretId;

        /** Field of the secret that holds the database user name. Default 'username'. */
        private String usernameField;

        /** Field of the secret that holds the database password. Default 'password'. */
        private String passwordField;

        public String getSecretId() {
            return secretId;
        }

        public void setSecretId(String secretId) {
            this.secretId = secretId;
        }

        public String getUsernameField() {
            return usernameField;
        }

        public void setUsernameField(String usernameField) {
            this.usernameField = usernameField;
        }

        public String getPasswordField() {
            return passwordField;
        }

        public void setPasswordField(String passwordField) {
            this.passwordField = passwordField;
        }
    }

    /** What spring.config.import=secrets:… may set. */
    public static class Import {
        /**
         * Whether a secret imported without a prefix may set names under spring., management., logging., secrets.
         * (and debug, trace). Default false: such an import stops start-up naming those names, so that whoever can
         * write the secret cannot change the application's data source, Actuator exposure, logging or secrets settings.
         * Read when the imports are resolved, from the application's own configuration.
         */
        private boolean allowReservedNames = false;

        public boolean isAllowReservedNames() {
            return allowReservedNames;
        }

        public void setAllowReservedNames(boolean allowReservedNames) {
            this.allowReservedNames = allowReservedNames;
        }
    }

    /** Reloading of imported secrets when they change in the store. */
    public static class Reload {
        /**
         * none (read once at start-up), event (update the property sources and publish a SecretChangedEvent),
         * refresh (also re-bind @ConfigurationProperties beans and renew @RefreshScope beans) or restart (restart
         * the context through Spring Cloud Context's restart endpoint). Default none.
         */
        private ReloadStrategy strategy;

        /** How often the imported secrets are read from the store (bypassing the cache) to find a change. Default 1m. */
        private Duration period;

        public ReloadStrategy getStrategy() {
            return strategy;
        }

        public void setStrategy(ReloadStrategy strategy) {
            this.strategy = strategy;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }
    }

    /** Change watching of imported secrets; {@code secrets.watch.enabled=true} is {@code secrets.reload.strategy=event}. */
    public static class Watch {
        /**
         * Whether the imported secrets are polled for a change of their CURRENT version; on a change
         * the property source is updated and a SecretChangedEvent is published.
         */
        private boolean enabled = false;

        /** How often each imported secret is read from the store (bypassing the cache) when watching. */
        private Duration interval = Duration.ofMinutes(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }
}
