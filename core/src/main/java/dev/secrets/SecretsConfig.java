package dev.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

/**
 * The configuration chain shared by the library, the JDBC driver, the Spring starter and the CLI,
 * highest first:
 * <ol>
 *   <li>explicit settings (builder calls, JDBC connection properties, Spring properties, CLI flags);</li>
 *   <li>Java system properties {@code secrets.*};</li>
 *   <li>environment variables {@code SECRETS_*} ({@code secrets.cache.max-size} ↔
 *       {@code SECRETS_CACHE_MAX_SIZE}: upper case, dots and dashes become underscores);</li>
 *   <li>the properties file named by {@code secrets.config} / {@code SECRETS_CONFIG};</li>
 *   <li>{@code secrets.properties} on the class path.</li>
 * </ol>
 * Built on Apache Commons Configuration. Immutable once built; thread-safe.
 */
public final class SecretsConfig {
    /** Store URI: {@code file:PATH} or {@code s3://BUCKET/PREFIX?…}. */
    public static final String STORE = "secrets.store";
    /** Key URI of the master key {@code default}. */
    public static final String KEY = "secrets.key";
    /** Prefix of {@code secrets.keys.NAME}: key URI of master key NAME. */
    public static final String KEYS_PREFIX = "secrets.keys.";
    /** How long a read value is reused; default {@code 1h}. */
    public static final String CACHE_TTL = "secrets.cache.ttl";
    /** Most secrets cached; default {@code 1024}. */
    public static final String CACHE_MAX_SIZE = "secrets.cache.max-size";
    /** How long a stale cached value may be served while the store fails; default {@code 24h}. */
    public static final String CACHE_STALE_MAX_AGE = "secrets.cache.stale-max-age";
    /** Path of the JSON-lines audit log; none by default. */
    public static final String AUDIT_LOG = "secrets.audit.log";
    /** {@code true} adds the SLF4J audit sink (needs slf4j-api on the class path); default {@code false}. */
    public static final String AUDIT_SLF4J = "secrets.audit.slf4j";
    /**
     * {@code true}: an operation whose audit event no sink could record fails (a write, before it
     * writes anything). Default {@code true} when any sink but the SLF4J one is configured,
     * {@code false} when SLF4J is the only sink.
     */
    public static final String AUDIT_FAIL_CLOSED = "secrets.audit.fail-closed";
    /**
     * How often the counts of reads served from the cache are written to the audit sinks as
     * {@code secret.read.cached} events (default {@code 1s}); at a crash, at most this interval's
     * counts are lost. A clean {@code close()} writes what is left.
     */
    public static final String AUDIT_CACHED_READS_INTERVAL = "secrets.audit.cached-reads.interval";
    /** Name recorded as the principal of audit events. */
    public static final String PRINCIPAL = "secrets.principal";
    /** Path of a properties file in the chain. */
    public static final String CONFIG_FILE = "secrets.config";
    /** Most versions a secret keeps (2 to 100, default 100); the oldest versions without labels go first. */
    public static final String VERSIONS_MAX = "secrets.versions.max";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final CompositeConfiguration chain;
    private final Map<String, String> explicit;
    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final boolean classpath;

    private SecretsConfig(Builder b) {
        this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(b.explicit));
        this.environment = b.environment;
        this.systemProperties = b.systemProperties;
        this.classpath = b.classpath;
        CompositeConfiguration c = new CompositeConfiguration();
        c.addConfiguration(new MapConfiguration(new LinkedHashMap<String, Object>(explicit)));
        Map<String, Object> sys = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("secrets.")) {
                sys.put(name, systemProperties.getProperty(name));
            }
        }
        c.addConfiguration(new MapConfiguration(sys));
        c.addConfiguration(new EnvironmentLayer(environment));
        String file = firstOf(c, CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            c.addConfiguration(loadFile(Path.of(file)));
        }
        if (classpath) {
            URL url = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader().getResource("secrets.properties")
                    : SecretsConfig.class.getClassLoader().getResource("secrets.properties");
            if (url != null) {
                c.addConfiguration(loadUrl(url));
            }
        }
        this.chain = c;
    }

    /** The default chain with no explicit settings. */
    public static SecretsConfig load() {
        return builder().build();
    }

    /** The default chain with these explicit settings on top. */
    public static SecretsConfig load(Map<String, String> explicit) {
        return builder().setAll(explicit).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy of this chain with more explicit settings on top (for example a JDBC connection's properties). */
    public SecretsConfig with(Map<String, String> overrides) {
        Builder b = new Builder();
        b.explicit.putAll(explicit);
        b.setAll(overrides);
        b.environment = environment;
        b.systemProperties = systemProperties;
        b.classpath = classpath;
        return b.build();
    }

    /** The value of {@code key}, from the highest layer that sets it to a non-blank value. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(firstOf(chain, key));
    }

    private static String firstOf(CompositeConfiguration c, String key) {
        for (int i = 0; i < c.getNumberOfConfigurations(); i++) {
            Configuration layer = c.getConfiguration(i);
            if (layer.containsKey(key)) {
                Object v = layer.getProperty(key);
                if (v != null && !v.toString().isBlank()) {
                    return v.toString().trim();
                }
            }
        }
        return null;
    }

    /**
     * The value of {@code key}.
     *
     * @throws dev.secrets.ConfigurationException saying how to set it when no layer sets it
     */
    public String require(String key) {
        return get(key).orElseThrow(() -> new dev.secrets.ConfigurationException(key + " is not set; set it with -D" + key
                + "=…, the environment variable " + environmentName(key) + ", or in secrets.properties"));
    }

    /** A duration: {@code 500ms}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT1H}). */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = get(key);
        return v.isPresent() ? parseDuration(key, v.get()) : defaultValue;
    }

    /** An integer at least {@code min}. */
    public int integer(String key, int defaultValue, int min) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min) {
                throw new dev.secrets.ConfigurationException(key + " is " + n + "; it must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new dev.secrets.ConfigurationException(key + " is '" + v.get() + "', not a whole number", e);
        }
    }

    /** A boolean: {@code true} or {@code false}. */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new dev.secrets.ConfigurationException(key + " is '" + v.get() + "'; write true or false");
    }

    /** Every key of the chain that starts with {@code prefix}, with its effective value. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        Iterator<String> keys = chain.getKeys();
        while (keys.hasNext()) {
            String k = keys.next();
            if (k.startsWith(prefix)) {
                get(k).ifPresent(v -> out.put(k, v));
            }
        }
        return out;
    }

    /** The environment variable that sets {@code key}: {@code secrets.cache.max-size} → {@code SECRETS_CACHE_MAX_SIZE}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Parses {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d} or ISO-8601; the error names {@code key}. */
    public static Duration parseDuration(String key, String text) {
        String s = text.trim();
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    return Duration.ofDays(n);
            }
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new dev.secrets.ConfigurationException(key + " is '" + text
                    + "', not a duration; write 90s, 15m, 1h, 2d or ISO-8601 like PT1H", e);
        }
    }

    private static Configuration loadFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new dev.secrets.ConfigurationException(CONFIG_FILE + " names " + path + ", which is not a readable file");
        }
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            PropertiesConfiguration pc = new PropertiesConfiguration();
            new FileHandler(pc).load(r);
            return pc;
        } catch (IOException | ConfigurationException e) {
            throw new dev.secrets.ConfigurationException("could not read " + CONFIG_FILE + " file " + path, e);
        }
    }

    private static Configuration loadUrl(URL url) {
        try (InputStream in = url.openStream()) {
            PropertiesConfiguration pc = new PropertiesConfiguration();
            new FileHandler(pc).load(in);
            return pc;
        } catch (IOException | ConfigurationException e) {
            throw new dev.secrets.ConfigurationException("could not read secrets.properties from the class path (" + url + ")", e);
        }
    }

    @Override
    public String toString() {
        // Key URIs name where a key is, not the key; still, show only which keys are set.
        return "SecretsConfig" + withPrefix("secrets.").keySet();
    }

    /** Builds a chain; by default from the real system properties, environment and class path. */
    public static final class Builder {
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private Map<String, String> environment = System.getenv();
        private Properties systemProperties = System.getProperties();
        private boolean classpath = true;

        private Builder() {
        }

        /** An explicit setting: the highest layer. A {@code null} value is ignored. */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value != null) {
                explicit.put(key, value);
            }
            return this;
        }

        public Builder setAll(Map<String, String> settings) {
            settings.forEach(this::set);
            return this;
        }

        /** Replaces the process environment (for tests and embedding). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        /** Replaces the system properties (for tests and embedding). */
        public Builder systemProperties(Properties props) {
            Properties copy = new Properties();
            copy.putAll(props);
            this.systemProperties = copy;
            return this;
        }

        /** Whether {@code secrets.properties} on the class path is read; default true. */
        public Builder classpathFile(boolean read) {
            this.classpath = read;
            return this;
        }

        public SecretsConfig build() {
            return new SecretsConfig(this);
        }
    }

    /** The environment as a configuration layer: key {@code a.b-c} is read from variable {@code A_B_C}. */
    private static final class EnvironmentLayer extends MapConfiguration {
        EnvironmentLayer(Map<String, String> env) {
            super(filter(env));
        }

        private static Map<String, Object> filter(Map<String, String> env) {
            Map<String, Object> m = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                if (k.startsWith("SECRETS_")) {
                    m.put(k, v);
                }
            });
            return m;
        }

        @Override
        protected Object getPropertyInternal(String key) {
            return super.getPropertyInternal(environmentName(key));
        }

        @Override
        protected boolean containsKeyInternal(String key) {
            return super.containsKeyInternal(environmentName(key));
        }

        @Override
        protected Iterator<String> getKeysInternal() {
            // Best effort reverse mapping for enumeration: SECRETS_KEYS_TEAM_A → secrets.keys.team_a.
            Iterator<String> it = super.getKeysInternal();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public String next() {
                    String env = it.next();
                    String lower = env.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("secrets_keys_")) {
                        return KEYS_PREFIX + lower.substring("secrets_keys_".length());
                    }
                    return lower.replace('_', '.');
                }
            };
        }
    }
}
