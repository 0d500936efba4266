package dev.secrets.internal.audit;

import dev.secrets.AuditFailedException;
import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Emits the audit events of one client to its sinks, and wraps an operation so that its event is
 * emitted once, on success or on failure ({@link #audited}). Thread-safe.
 *
 * <p>When the sinks refuse (fail closed) the event of a successful operation, {@link #record}
 * throws {@link AuditFailedException}; the event of a failed operation gets the refusal added to its
 * error as suppressed, and the caller throws its own error as before. {@link #preflight()} lets a
 * write fail before it changes anything when no sink could record its event. Reads served from the
 * cache are not recorded one by one: they count themselves on a {@link #counter} and
 * {@link CachedReadAudit} writes the counts.
 */
public final class Auditor implements AutoCloseable {
    private final List<AuditSink> sinks;
    private final boolean enabled;
    private final String principal;
    private final Clock clock;
    /** Audits cache hits off the read's path; null when not auditing. */
    private final CachedReadAudit cachedReads;

    /**
     * @param sinks               the sinks, in order (none: auditing off)
     * @param principal           recorded in every event, may be null
     * @param ticker              the cache's ticker, for the counts of cached reads
     * @param cachedReadsInterval how often counts of cached reads are written ({@link Duration#ZERO}: by hand)
     */
    public Auditor(List<AuditSink> sinks, String principal, Clock clock, LongSupplier ticker, SecretsMetrics metrics,
                   Duration cachedReadsInterval) {
        this.sinks = List.copyOf(sinks);
        this.enabled = !this.sinks.isEmpty();
        this.principal = principal;
        this.clock = clock;
        this.cachedReads = enabled ? new CachedReadAudit(this.sinks, principal, clock, ticker, metrics, cachedReadsInterval) : null;
    }

    /** Where cached reads of one version count themselves; null when not auditing. */
    public CachedReadAudit.Counter counter(String secretId, String versionId) {
        return enabled ? cachedReads.counter(secretId, versionId) : null;
    }

    /** Whether any sink listens: the read path checks this before it builds an event. */
    public boolean enabled() {
        return enabled;
    }

    /** Emits an event; {@code error} null for success. */
    public void record(String action, String secretId, String versionId, Throwable error) {
        record(action, secretId, versionId, null, error);
    }

    /** Emits an event naming a master key; {@code error} null for success. */
    public void record(String action, String secretId, String versionId, String keyName, Throwable error) {
        if (!enabled) {
            return;
        }
        AuditEvent event = new AuditEvent(clock.instant(), action, secretId, versionId,
                error == null ? AuditEvent.SUCCESS : AuditEvent.FAILURE, error == null ? null : error.getClass().getSimpleName(),
                CallerPrincipal.orElse(principal), keyName);
        for (AuditSink s : sinks) {
            try {
                s.record(event);
            } catch (RuntimeException refused) {
                cachedReads.sinkFailed();
                if (error != null) {
                    // The operation failed: nothing happened that could go unrecorded; keep its own error.
                    error.addSuppressed(refused);
                    return;
                }
                throw refused;
            }
        }
        cachedReads.sinkRecorded();
    }

    /**
     * Runs {@code operation} and records {@code action} once: as a success when it returns (and the
     * sinks accept), as a failure with its error when it throws (also when the success event was refused).
     */
    public <T> T audited(String action, String secretId, String versionId, String keyName, Supplier<T> operation) {
        try {
            T result = operation.get();
            record(action, secretId, versionId, keyName, null);
            return result;
        } catch (RuntimeException e) {
            record(action, secretId, versionId, keyName, e);
            throw e;
        }
    }

    /** As {@link #audited(String, String, String, String, Supplier)}, naming no master key. */
    public <T> T audited(String action, String secretId, String versionId, Supplier<T> operation) {
        return audited(action, secretId, versionId, null, operation);
    }

    /** As {@link #audited(String, String, String, Supplier)}, for an operation with no result. */
    public void auditedRun(String action, String secretId, String versionId, Runnable operation) {
        audited(action, secretId, versionId, null, () -> {
            operation.run();
            return null;
        });
    }

    /** With fail-closed sinks, throws before a write when no sink could record its event; nothing is written then. */
    public void preflight() {
        if (enabled) {
            for (AuditSink s : sinks) {
                s.checkReady();
            }
        }
    }

    /** Writes the last counts of cached reads, then closes every sink, best effort. */
    @Override
    public void close() {
        if (cachedReads != null) {
            cachedReads.close(); // before the sinks close: no counted read is lost at a clean shutdown
        }
        for (AuditSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closing is best effort
            }
        }
    }
}
