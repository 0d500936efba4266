package dev.secrets;

import dev.secrets.internal.EngineAssembly;
import dev.secrets.internal.SecretsEngine;
import dev.secrets.internal.cache.RefreshScheduler;
import dev.secrets.internal.crypto.RootKey;
import dev.secrets.internal.rotation.RotationTiming;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.ObjectStore;
import dev.secrets.spi.Rotator;
import dev.secrets.spi.SecretsMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The settings and the build of {@link SecretsClient.Builder}, the one builder users see (they call
 * these methods on it; this class is not visible outside the package). Each setting is kept as given,
 * null where none was given; {@link #build()} hands them to {@link EngineAssembly}, which fills the
 * rest from the configuration chain. Not thread-safe, like any builder.
 */
abstract sealed class ClientBuilder permits SecretsClient.Builder {
    private SecretsConfig config;
    private String storeUri;
    private ObjectStore objectStore;
    private final Map<String, String> keyUris = new LinkedHashMap<>();
    private final Map<String, byte[]> keyBytes = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = dev.secrets.internal.cache.CoarseTicker::read;
    private SecureRandom random;
    private Duration cacheTtl;
    private Integer cacheMaxSize;
    private Duration rotationLease;
    private Integer maxVersions;
    private String principal;
    private final List<AuditSink> auditSinks = new ArrayList<>();
    private Boolean auditFailClosed;
    private SecretsMetrics metrics = SecretsMetrics.NONE;
    private Function<String, String> environment = System::getenv;
    private final List<Rotator> rotators = new ArrayList<>();
    private RefreshScheduler refreshScheduler;

    /** The configuration chain to read unset settings from; default {@link SecretsConfig#load()}. */
    public SecretsClient.Builder config(SecretsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /** Store URI: {@code file:PATH} or {@code s3://BUCKET/PREFIX?…}. */
    public SecretsClient.Builder store(String uri) {
        this.storeUri = uri;
        return self();
    }

    /** A store instance, for embedding and tests. */
    public SecretsClient.Builder store(ObjectStore store) {
        this.objectStore = store;
        return self();
    }

    /**
     * Key URI of master key {@code name}: {@code env:}, {@code file:}, {@code passphrase-env:},
     * {@code pkcs11:}, or any scheme a {@link dev.secrets.spi.KeyProvider} on the class path handles.
     */
    public SecretsClient.Builder masterKey(String name, String keyUri) {
        keyUris.put(name, keyUri);
        return self();
    }

    /** 32 bytes of master key root for {@code name} (copied). */
    public SecretsClient.Builder masterKey(String name, byte[] key) {
        keyBytes.put(name, RootKey.ofBytes(name, key).material(null));
        return self();
    }

    public SecretsClient.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return self();
    }

    /** Source of nanoseconds for cache expiry; default a millisecond-resolution {@link System#nanoTime()}. */
    public SecretsClient.Builder ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker);
        return self();
    }

    // The scheduler of the cache's background refreshes, for tests of this package; default one daemon thread.
    SecretsClient.Builder refreshScheduler(RefreshScheduler scheduler) {
        this.refreshScheduler = Objects.requireNonNull(scheduler);
        return self();
    }

    public SecretsClient.Builder random(SecureRandom random) {
        this.random = Objects.requireNonNull(random);
        return self();
    }

    public SecretsClient.Builder cacheTtl(Duration ttl) {
        this.cacheTtl = ttl;
        return self();
    }

    /**
     * How long a rotation step may run without renewing its lease before another runner may take the
     * rotation over; default {@code secrets.rotation.lease}, else 10 minutes. At least 10 seconds.
     */
    public SecretsClient.Builder rotationLease(Duration lease) {
        this.rotationLease = Objects.requireNonNull(lease);
        return self();
    }

    public SecretsClient.Builder cacheMaxSize(int max) {
        this.cacheMaxSize = max;
        return self();
    }

    /**
     * Most versions a secret keeps, 2 to 100 (default {@code secrets.versions.max}, else 100); a write
     * beyond it removes the oldest versions without labels.
     */
    public SecretsClient.Builder maxVersions(int max) {
        this.maxVersions = max;
        return self();
    }

    /** Recorded as the principal of every audit event of this client. */
    public SecretsClient.Builder principal(String principal) {
        this.principal = principal;
        return self();
    }

    /**
     * Adds an audit sink, besides those of {@code secrets.audit.log} (a {@link dev.secrets.audit.JsonLinesAuditSink})
     * and {@code secrets.audit.slf4j=true} (a {@link dev.secrets.audit.Slf4jAuditSink}).
     */
    public SecretsClient.Builder auditSink(AuditSink sink) {
        auditSinks.add(Objects.requireNonNull(sink));
        return self();
    }

    /**
     * A rotator to use by its name, in addition to (and before) those found by
     * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.secrets.spi.Rotator}.
     */
    public SecretsClient.Builder rotator(Rotator rotator) {
        rotators.add(Objects.requireNonNull(rotator));
        return self();
    }

    /**
     * Whether an operation whose audit event no sink could record fails ({@link AuditFailedException};
     * a write then writes nothing). Default {@code secrets.audit.fail-closed}, else true unless the
     * SLF4J sink is the only sink.
     */
    public SecretsClient.Builder auditFailClosed(boolean failClosed) {
        this.auditFailClosed = failClosed;
        return self();
    }

    /** Where counters and timers go; default {@link SecretsMetrics#NONE}. */
    public SecretsClient.Builder metrics(SecretsMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
        return self();
    }

    /** The environment key URIs are read from; default the process environment. */
    public SecretsClient.Builder environment(Function<String, String> env) {
        this.environment = Objects.requireNonNull(env);
        return self();
    }

    /**
     * Builds the client.
     *
     * @throws ConfigurationException when no store is set, its scheme is unknown, or a key URI is bad
     */
    public SecretsClient build() {
        SecretsEngine engine = EngineAssembly.engine(new EngineAssembly.Settings(config, storeUri, objectStore,
                new LinkedHashMap<>(keyUris), new LinkedHashMap<>(keyBytes), clock, ticker, random, cacheTtl, cacheMaxSize, maxVersions,
                principal, List.copyOf(auditSinks), auditFailClosed, metrics, environment, refreshScheduler));
        Duration lease;
        try {
            lease = RotationTiming.lease(rotationLease, engine.config());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new SecretsClient(engine, List.copyOf(rotators), environment, lease);
    }

    private SecretsClient.Builder self() {
        return (SecretsClient.Builder) this;
    }
}
