package dev.secrets.spring;

import dev.secrets.spi.SecretsMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Records the client's reads, cache hits and misses, read latency, rotation outcomes and audit
 * failures as Micrometer meters. Meters carry no secret ID (it would make one time series per
 * secret) and never a value.
 *
 * <ul>
 *   <li>{@value #READS} — timer of successful reads, tag {@code cache} = {@code hit} | {@code miss}:
 *       its count is the number of reads, hits and misses; its distribution the read latency.</li>
 *   <li>{@value #READ_FAILURES} — counter of failed reads, tag {@code error} = the exception's simple name.</li>
 *   <li>{@value #ROTATIONS} — counter of rotation attempts, tag {@code outcome} = {@code succeeded} | {@code failed}.</li>
 *   <li>{@value #AUDIT_FAILURES} — counter of audit events no sink could record, tag {@code action}.</li>
 *   <li>{@value #TOO_OLD} — gauge of the secrets older than their maximum age ({@code secrets.max-age}),
 *       as of the last rotation status check (the health indicator runs one).</li>
 * </ul>
 * Thread-safe.
 */
public final class MicrometerSecretsMetrics implements SecretsMetrics {
    public static final String READS = "secrets.reads";
    public static final String READ_FAILURES = "secrets.read.failures";
    public static final String ROTATIONS = "secrets.rotations";
    public static final String AUDIT_FAILURES = "secrets.audit.failures";
    public static final String TOO_OLD = "secrets.too-old";

    private final MeterRegistry registry;
    private final Timer hits;
    private final Timer misses;
    private final java.util.concurrent.atomic.AtomicInteger tooOld = new java.util.concurrent.atomic.AtomicInteger();

    public MicrometerSecretsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.hits = Timer.builder(READS).description("Reads of secret values").tag("cache", "hit").register(registry);
        this.misses = Timer.builder(READS).description("Reads of secret values").tag("cache", "miss").register(registry);
        io.micrometer.core.instrument.Gauge.builder(TOO_OLD, tooOld, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Secrets older than their maximum age (secrets.max-age)").register(registry);
    }

    @Override
    public void secretsTooOld(int count) {
        tooOld.set(count);
    }

    @Override
    public void read(String secretId, boolean cacheHit, long nanos) {
        (cacheHit ? hits : misses).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void readFailed(String secretId, String errorClass, long nanos) {
        Counter.builder(READ_FAILURES).description("Failed reads of secret values").tag("error", errorClass)
                .register(registry).increment();
    }

    @Override
    public void rotation(String secretId, String outcome) {
        Counter.builder(ROTATIONS).description("Rotation attempts").tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public void auditFailure(String action) {
        Counter.builder(AUDIT_FAILURES).description("Audit events no sink recorded").tag("action", action)
                .register(registry).increment();
    }
}
