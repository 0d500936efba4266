package dev.secrets.internal.audit;

import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Audits reads served from a client's cache without putting the audit sinks on the read's path.
 *
 * <p>A cache hit calls {@link Counter#hit} on the counter of its secret version (the counter lives in
 * the cache entry, so there is no lookup): two reads of flags, then a count in the calling thread's
 * own slot of a {@link PerThreadCount} — plain stores, no locked instruction, nothing shared with
 * other cores. No hit takes a lock, allocates, or waits for I/O (a thread's first hit on a counter
 * makes its slot). Under a caller principal ({@link CallerPrincipal}, a server), the hit is counted
 * on that caller's counter of the version, found in a map keyed by the principal string. A
 * background writer ({@link #flush}, every {@code interval} on a
 * daemon thread of its own, and once more on {@link #close}) turns the counts that grew since the
 * last flush into one {@value AuditEvent#CACHED_READ} event per secret version — count, first and
 * last time — and hands them to the sinks in one {@link AuditSink#recordAll} call, so the file sink
 * chains them like any other event with one fsync.
 *
 * <p>What may be lost: at a clean {@link #close} nothing; at a crash, the counts of at most the last
 * interval. Times come from the client's ticker (a few milliseconds' resolution) mapped to the wall
 * clock at the flush; a read racing with a flush may have its time reported in the next event.
 *
 * <p>Fail closed: when the sinks refuse a flush (a fail-closed dispatcher throws), the counts are
 * kept for the next flush and {@link Counter#hit} answers false until the sinks record again, so the
 * client serves the read through its synchronous, fail-closed store path instead. Any synchronous
 * audit failure of the client ({@link #sinkFailed}) has the same effect, and a synchronous success
 * ({@link #sinkRecorded}) lifts it. With fail-open sinks nothing throws and a refused flush is
 * counted as dropped by the dispatcher, like any other event.
 *
 * <p>Thread-safe. Counters are kept for the client's life: one small object per secret version (and
 * caller) ever read from the cache, with a slot of 72 bytes per live thread that read it.
 */
public final class CachedReadAudit implements AutoCloseable {
    /** How often counts are written when {@code secrets.audit.cached-reads.interval} is not set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final List<AuditSink> sinks;
    private final String principal;
    private final Clock clock;
    private final LongSupplier ticker;
    private final SecretsMetrics metrics;
    private final long intervalNanos;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Object flushing = new Object();
    private volatile boolean refusing;
    private volatile boolean closed;
    private ScheduledExecutorService writer; // guarded by this

    /**
     * @param interval how often the background writer flushes; {@link Duration#ZERO} for no writer
     *                 thread (tests flush by hand)
     */
    public CachedReadAudit(List<AuditSink> sinks, String principal, Clock clock, LongSupplier ticker, SecretsMetrics metrics,
                           Duration interval) {
        this.sinks = List.copyOf(sinks);
        this.principal = principal;
        this.clock = clock;
        this.ticker = ticker;
        this.metrics = metrics == null ? SecretsMetrics.NONE : metrics;
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval of cached-read audit events cannot be negative: " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /** The cached reads of one secret version, for one principal. */
    public static final class Counter {
        private final CachedReadAudit owner;
        private final String secretId;
        private final String versionId;
        /** The caller the reads are counted for, or null for the client's own principal. */
        private final String caller;
        private final PerThreadCount reads = new PerThreadCount();
        /** The counters of this version for callers set with {@link CallerPrincipal#callAs}; made on first use. */
        private volatile ConcurrentHashMap<String, Counter> callers;

        private Counter(CachedReadAudit owner, String secretId, String versionId, String caller) {
            this.owner = owner;
            this.secretId = secretId;
            this.versionId = versionId;
            this.caller = caller;
        }

        /**
         * Counts one read served from the cache at ticker value {@code now}. Returns false, counting
         * nothing, when the sinks are refusing events: the caller must then read through its
         * synchronous, audited path.
         */
        public boolean hit(long now) {
            if (owner.refusing) {
                return false;
            }
            if (CallerPrincipal.inUse()) {
                String p = CallerPrincipal.current();
                if (p != null && !p.equals(caller)) {
                    // A server serving many callers through one cache: count for the caller of this thread.
                    forCaller(p).reads.add(now);
                    return true;
                }
            }
            reads.add(now);
            return true;
        }

        private Counter forCaller(String p) {
            ConcurrentHashMap<String, Counter> m = callers;
            Counter c = m == null ? null : m.get(p); // keyed by the principal itself: no key to build
            return c != null ? c : owner.callerCounter(this, p);
        }
    }

    /** The counter of {@code versionId} of {@code secretId}, created on first use (on the cache's miss path). */
    public Counter counter(String secretId, String versionId) {
        startWriter();
        return counters.computeIfAbsent(secretId + '\0' + versionId, k -> new Counter(this, secretId, versionId, null));
    }

    private Counter callerCounter(Counter base, String caller) {
        synchronized (base) {
            if (base.callers == null) {
                base.callers = new ConcurrentHashMap<>();
            }
        }
        return base.callers.computeIfAbsent(caller, p -> counters.computeIfAbsent(base.secretId + '\0' + base.versionId + '\0' + p,
                k -> new Counter(this, base.secretId, base.versionId, p)));
    }

    /** A synchronous event could not be recorded: cached reads go through the synchronous path until one is. */
    public void sinkFailed() {
        refusing = true;
    }

    /** A synchronous event was recorded: the sinks take events again. */
    public void sinkRecorded() {
        if (refusing) {
            refusing = false;
        }
    }

    /**
     * Hands every count that grew since the last flush to the sinks, one event per secret version,
     * in one call. Counts the sinks refused stay for the next flush. Never throws.
     */
    public void flush() {
        synchronized (flushing) {
            long nowTick = ticker.getAsLong();
            Instant now = clock.instant();
            List<AuditEvent> events = new ArrayList<>();
            List<Counter> counted = new ArrayList<>();
            List<PerThreadCount.Taken> taken = new ArrayList<>();
            for (Counter c : counters.values()) {
                PerThreadCount.Taken t = c.reads.take();
                if (t == null) {
                    continue;
                }
                events.add(AuditEvent.cachedReads(c.secretId, c.versionId, c.caller != null ? c.caller : principal,
                        at(t.first, nowTick, now), at(t.last, nowTick, now), t.count));
                counted.add(c);
                taken.add(t);
            }
            if (events.isEmpty()) {
                return;
            }
            try {
                for (AuditSink s : sinks) {
                    s.recordAll(events);
                }
            } catch (RuntimeException refused) {
                refusing = true;
                for (int i = 0; i < taken.size(); i++) {
                    counted.get(i).reads.restore(taken.get(i)); // reported again by the next flush
                }
                return;
            }
            for (int i = 0; i < taken.size(); i++) {
                counted.get(i).reads.commit(taken.get(i));
            }
            refusing = false;
        }
    }

    private static Instant at(long tick, long nowTick, Instant now) {
        long ago = nowTick - tick;
        return ago <= 0 ? now : now.minusNanos(ago);
    }

    private synchronized void startWriter() {
        if (writer != null || intervalNanos == 0 || closed) {
            return;
        }
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "secrets-audit-cached-reads");
            t.setDaemon(true);
            return t;
        });
        w.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        w.scheduleWithFixedDelay(this::flushQuietly, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        writer = w;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException | Error e) {
            metrics.auditFailure(AuditEvent.CACHED_READ); // never let one failure stop the writer
        }
    }

    /** Stops the writer and writes what is left. Reads served after this are not audited: close the client first. */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            closed = true;
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.shutdown();
        }
        flush();
    }
}
