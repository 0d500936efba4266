package dev.secrets.internal.audit;

import dev.secrets.spi.AuditEvent;
import dev.secrets.spi.AuditSink;
import dev.secrets.spi.SecretsMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Audits reads served from a client's cache without putting the audit sinks on the read's path.
 *
 * <p>A cache hit calls {@link Counter#hit} on the counter of its secret version (the counter lives in
 * the cache entry, so there is no lookup): one {@link LongAdder} increment, which threads on
 * different cores do not contend on, and two reads of rarely written fields. No hit takes a lock,
 * allocates, or waits for I/O. A background writer ({@link #flush}, every {@code interval} on a
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
 * <p>Thread-safe. Counters are kept for the client's life: one small object per secret version ever
 * read from the cache.
 */
public final class CachedReadAudit implements AutoCloseable {
    /** How often counts are written when {@code secrets.audit.cached-reads.interval} is not set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final long UNSET = Long.MIN_VALUE;

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

    /** The cached reads of one secret version. */
    public static final class Counter {
        private static final VarHandle FIRST;

        static {
            try {
                FIRST = MethodHandles.lookup().findVarHandle(Counter.class, "firstTick", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final CachedReadAudit owner;
        private final String secretId;
        private final String versionId;
        /** The caller the reads are counted for, or null for the client's own principal. */
        private final String caller;
        private final LongAdder hits = new LongAdder();
        /** Ticker value of the first hit since the last flush, {@link #UNSET} when none. */
        private volatile long firstTick = UNSET;
        private volatile long lastTick = UNSET;
        /** Hits already handed to the sinks; read and written only under {@code flushing}. */
        private long reported;

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
                    return owner.counters.computeIfAbsent(secretId + '\0' + versionId + '\0' + p,
                            k -> new Counter(owner, secretId, versionId, p)).hit(now);
                }
            }
            hits.increment();
            // Written only when they change: the ticker moves every few milliseconds, so these
            // cache lines stay shared between the cores that read this secret.
            if (firstTick == UNSET) {
                FIRST.compareAndSet(this, UNSET, now);
            }
            if (lastTick != now) {
                lastTick = now;
            }
            return true;
        }
    }

    /** The counter of {@code versionId} of {@code secretId}, created on first use (on the cache's miss path). */
    public Counter counter(String secretId, String versionId) {
        startWriter();
        return counters.computeIfAbsent(secretId + '\0' + versionId, k -> new Counter(this, secretId, versionId, null));
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
            List<Counter> taken = new ArrayList<>();
            List<long[]> marks = new ArrayList<>(); // per counter: total hits counted, first tick taken
            for (Counter c : counters.values()) {
                long total = c.hits.sum();
                long n = total - c.reported;
                if (n == 0) {
                    continue;
                }
                long first = (long) Counter.FIRST.getAndSet(c, UNSET);
                long last = c.lastTick;
                if (first == UNSET || first - last > 0) {
                    first = last; // its first hit was reported with the last flush's counts, in a race with it
                }
                events.add(AuditEvent.cachedReads(c.secretId, c.versionId, c.caller != null ? c.caller : principal, at(first, nowTick, now),
                        at(last, nowTick, now), n));
                taken.add(c);
                marks.add(new long[] {total, first});
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
                    Counter.FIRST.compareAndSet(taken.get(i), UNSET, marks.get(i)[1]); // keep the first time for the retry
                }
                return;
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).reported = marks.get(i)[0];
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
