package dev.secrets.internal;

import dev.secrets.ConfigurationException;
import dev.secrets.SecretsConfig;
import dev.secrets.internal.audit.AuditDispatcher;
import dev.secrets.internal.cache.RefreshScheduler;
import dev.secrets.internal.crypto.KeyProviders;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.record.VersionHygiene;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.KeyRoot;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.ObjectStoreProvider;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns the settings of a {@link dev.secrets.SecretsClient.Builder} into an engine: explicit
 * settings first, then the configuration chain; opens the store, parses the root keys, checks the
 * cache and audit settings. Stateless. Not API.
 */
public final class EngineAssembly {
    private EngineAssembly() {
    }

    /**
     * What a builder was given; null where it was given nothing (the configuration chain decides).
     *
     * @param keyUris          key URIs by master key name
     * @param keyBytes         raw roots by master key name (already copied)
     * @param refreshScheduler the scheduler of the cache's background refreshes; null for one daemon thread
     */
    public record Settings(SecretsConfig config, String storeUri, ObjectStore objectStore, Map<String, String> keyUris,
                           Map<String, byte[]> keyBytes, Clock clock, LongSupplier ticker, SecureRandom random, Duration cacheTtl,
                           Integer cacheMaxSize, Integer maxVersions, String principal, List<AuditSink> auditSinks, Boolean auditFailClosed,
                           SecretsMetrics metrics, Function<String, String> environment, RefreshScheduler refreshScheduler) {
    }

    /**
     * The engine for {@code s}.
     *
     * @throws ConfigurationException when no store is set, its scheme is unknown, or a key URI, the cache or audit setting is bad
     */
    public static SecretsEngine engine(Settings s) {
        SecretsConfig cfg = s.config() != null ? s.config() : SecretsConfig.load();
        if (s.maxVersions() != null) {
            cfg = cfg.with(Map.of(SecretsConfig.VERSIONS_MAX, s.maxVersions().toString()));
        }
        // Before the store is opened: a bad audit or versions setting then leaves nothing to close.
        VersionHygiene.maxVersions(cfg);
        List<AuditSink> sinks = AuditDispatcher.forClient(s.auditSinks(), s.auditFailClosed(), cfg, s.metrics());
        ObjectStore store = s.objectStore();
        if (store == null) {
            String uri = s.storeUri() != null ? s.storeUri() : cfg.get(SecretsConfig.STORE).orElseThrow(() -> new ConfigurationException(
                    "no store is configured; set secrets.store (system property -Dsecrets.store=…, environment SECRETS_STORE, "
                            + "or secrets.properties) to file:PATH or s3://BUCKET/PREFIX"));
            store = openStore(uri, cfg);
        }
        Function<String, String> env = s.environment();
        Map<String, KeyRoot> roots = new LinkedHashMap<>();
        cfg.get(SecretsConfig.KEY).ifPresent(u -> roots.put("default", KeyProviders.open("default", u, env)));
        cfg.withPrefix(SecretsConfig.KEYS_PREFIX).forEach((k, u) -> {
            if (KeyPins.isBinding(k)) {
                return; // secrets.keys.NAME.prefixes binds IDs to a key; it is not a key URI
            }
            String name = k.substring(SecretsConfig.KEYS_PREFIX.length());
            roots.put(name, KeyProviders.open(name, u, env));
        });
        s.keyUris().forEach((name, u) -> roots.put(name, KeyProviders.open(name, u, env)));
        s.keyBytes().forEach((name, b) -> roots.put(name, RootKey.ofBytes(name, b)));
        Duration ttl = s.cacheTtl() != null ? s.cacheTtl() : cfg.duration(SecretsConfig.CACHE_TTL, Duration.ofHours(1));
        int max = s.cacheMaxSize() != null ? s.cacheMaxSize() : cfg.integer(SecretsConfig.CACHE_MAX_SIZE, 1024, 1);
        if (ttl.isNegative()) {
            throw new ConfigurationException(SecretsConfig.CACHE_TTL + " must not be negative");
        }
        if (max < 1) {
            throw new ConfigurationException(SecretsConfig.CACHE_MAX_SIZE + " must be at least 1");
        }
        String who = s.principal() != null ? s.principal() : cfg.get(SecretsConfig.PRINCIPAL).orElse(null);
        SecureRandom rnd = s.random() != null ? s.random() : new SecureRandom();
        RefreshScheduler refresher = s.refreshScheduler() != null ? s.refreshScheduler() : RefreshScheduler.daemon();
        return new SecretsEngine(store, roots, s.clock(), s.ticker(), refresher, rnd, ttl, max, who, sinks, cfg, s.metrics());
    }

    /**
     * Opens the store at {@code uri} with the backend registered for its scheme.
     *
     * @throws ConfigurationException for a URI without scheme or with a scheme no backend on the class path handles
     */
    public static ObjectStore openStore(String uri, SecretsConfig cfg) {
        int colon = uri.indexOf(':');
        if (colon < 1) {
            throw new ConfigurationException("store URI '" + uri + "' has no scheme; write file:PATH or s3://BUCKET/PREFIX");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class, EngineAssembly.class.getClassLoader())) {
            if (p.scheme().equals(scheme)) {
                return p.open(uri, cfg);
            }
            known.add(p.scheme());
        }
        throw new ConfigurationException("no backend for store scheme '" + scheme + "' (store URI " + uri + "); "
                + (known.isEmpty() ? "no backend is on the class path" : "available: " + String.join(", ", known))
                + "; add the backend's jar (secrets-backend-" + scheme + ") to the class path");
    }
}
