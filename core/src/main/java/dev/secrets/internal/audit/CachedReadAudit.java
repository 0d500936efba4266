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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Audits reads served from a client's cache without putting the audit sinks on the read's path.
 *
 * <p>A cache hit calls {@link Counter#hit} on the counter of its secret version (the counter lives in
 * the cache entry, so there is no lookup): it adds one to its own thread's cell of that counter — a
 * thread-local lookup, a plain read and an ordered store, no locked instruction, so threads never
 * contend and a single thread does not pay for an atomic add — and keeps the tick of its first and
 * last hit in the same cell. The first threads of a counter (one per class of thread ID modulo
 * {@value #FAST_SLOTS}) find their cell in a field of the counter instead of the thread-local map.
 * No hit takes a lock or waits for I/O; a thread's first hit on a counter allocates its cell. A
 * background writer ({@link #flush}, every {@code interval} on a daemon thread of its own, and once
 * more on {@link #close}) sums the cells, folds those of threads that have ended into the counter
 * (so cells do not pile up with short-lived threads), turns the counts that grew since the last
 * flush into one {@value AuditEvent#CACHED_READ} event per secret version — count, first and last
 * time — and hands them to the sinks in one {@link AuditSink#recordAll} call, so the file sink
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
 * read from the cache, plus one padded cell (about 170 bytes) per thread that has read it from the
 * cache and had not ended at the last flush.
 */
public final class CachedReadAudit implements AutoCloseable {
    /** How often counts are written when {@code secrets.audit.cached-reads.interval} is not set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final long UNSET = Long.MIN_VALUE;
    /** Threads per counter that find their cell without a thread-local lookup (a power of two). */
    private static final int FAST_SLOTS = 4;
    /** {@code Counter.slot0} … {@code slot3}. */
    private static final VarHandle[] SLOT = new VarHandle[FAST_SLOTS];

    static {
        try {
            for (int i = 0; i < FAST_SLOTS; i++) {
                SLOT[i] = MethodHandles.lookup().findVarHandle(Counter.class, "slot" + i, Cell.class);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        private final CachedReadAudit owner;
        private final String secretId;
        private final String versionId;
        /** The caller the reads are counted for, or null for the client's own principal. */
        private final String caller;
        /**
         * The cells of the first threads to hit this counter, one per class of thread ID modulo
         * {@value #FAST_SLOTS}: the thread that owns the cell in its slot finds it with one load from
         * this object (fields, not an array: one hop less on the hit). Written only on a thread's first
         * hit (compare-and-set); read without a fence, which is safe because a cell's {@code thread}
         * is final.
         */
        private Cell slot0;
        private Cell slot1;
        private Cell slot2;
        private Cell slot3;
        /** This thread's hits of this counter; created on its first hit. Found here by threads without a slot. */
        private final ThreadLocal<Cell> mine = new ThreadLocal<>();
        /** The cells of every thread that hit this counter and had not ended at the last flush. */
        private final Queue<Cell> cells = new ConcurrentLinkedQueue<>();
        /** Hits of threads that have ended, folded in by a flush; read and written only under {@code flushing}. */
        private long ended;
        /** The first tick taken from the cells and not reported yet; read and written only under {@code flushing}. */
        private long pendingFirst = UNSET;
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
            Thread t = Thread.currentThread();
            Cell c = slot(t);
            if (c == null || c.thread != t || CallerPrincipal.inUse()) {
                return slowHit(t, now);
            }
            c.hit(now);
            return true;
        }

        /** A hit of a thread without a slot, or while a caller principal may be set. */
        private boolean slowHit(Thread t, long now) {
            if (CallerPrincipal.inUse()) {
                String p = CallerPrincipal.current();
                if (p != null && !p.equals(caller)) {
                    // A server serving many callers through one cache: count for the caller of this thread.
                    return owner.counters.computeIfAbsent(secretId + '\0' + versionId + '\0' + p,
                            k -> new Counter(owner, secretId, versionId, p)).hit(now);
                }
            }
            Cell c = mine.get();
            if (c == null) {
                c = newCell(t);
            }
            c.hit(now);
            return true;
        }

        /** The cell in the slot of {@code t}'s class, whoever owns it (plain reads: see the fields). */
        private Cell slot(Thread t) {
            switch ((int) t.getId() & (FAST_SLOTS - 1)) {
                case 0:
                    return slot0;
                case 1:
                    return slot1;
                case 2:
                    return slot2;
                default:
                    return slot3;
            }
        }

        private Cell newCell(Thread t) {
            Cell c = new Cell(t);
            cells.add(c);
            mine.set(c);
            VarHandle slot = SLOT[(int) t.getId() & (FAST_SLOTS - 1)];
            Cell held = (Cell) slot.getVolatile(this);
            if (held == null || !held.thread.isAlive()) {
                slot.compareAndSet(this, held, c); // a slot of a thread that ended is taken over
            }
            return c;
        }

        /**
         * Every hit counted so far, the earliest first tick the cells hold (taken from them) and the
         * latest last tick; into {@code out}. The cells of threads that have ended are folded into
         * {@link #ended} and dropped: a thread's end happens-before {@link Thread#isAlive} answers
         * false (JLS 17.4.4), so such a cell is final. Called under {@code flushing} only.
         */
        private void collect(long[] out) {
            long total = ended;
            long first = pendingFirst;
            long last = UNSET;
            for (Iterator<Cell> it = cells.iterator(); it.hasNext(); ) {
                Cell c = it.next();
                boolean ended = !c.thread.isAlive();
                long n = c.count();
                first = earlier(first, c.takeFirst());
                last = later(last, c.last());
                total += n;
                if (ended) {
                    this.ended += n;
                    it.remove();
                }
            }
            out[0] = total;
            out[1] = first;
            out[2] = last;
        }
    }

    /** How many per-thread cells {@code c} keeps (threads that hit it and had not ended at the last flush); for tests. */
    static int cells(Counter c) {
        return c.cells.size();
    }

    private static long earlier(long a, long b) {
        return a == UNSET ? b : b == UNSET || a - b <= 0 ? a : b;
    }

    private static long later(long a, long b) {
        return a == UNSET ? b : b == UNSET || a - b >= 0 ? a : b;
    }

    /** Padding before a cell's fields: see {@link Cell}. */
    @SuppressWarnings("unused")
    private abstract static class CellPadBefore {
        long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    /** The fields of a cell, between two paddings. */
    private abstract static class CellFields extends CellPadBefore {
        final Thread thread;
        long count;
        /** Ticks of the first hit since the flush took it ({@link #UNSET}: none) and of the last hit. */
        long first = UNSET;
        long last = UNSET;

        CellFields(Thread thread) {
            this.thread = thread;
        }
    }

    /**
     * The hits of one thread on one counter. Only its thread writes {@code count} — a plain read and
     * an ordered store, no locked instruction, no contention — and the flush reads it. The fields sit
     * between 64-byte paddings (superclass fields are laid out first), so that no two threads' cells
     * share a cache line even after the collector has moved them next to each other.
     */
    @SuppressWarnings("unused")
    private static final class Cell extends CellFields {
        private static final VarHandle COUNT;
        private static final VarHandle FIRST;
        private static final VarHandle LAST;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(CellFields.class, "count", long.class);
                FIRST = MethodHandles.lookup().findVarHandle(CellFields.class, "first", long.class);
                LAST = MethodHandles.lookup().findVarHandle(CellFields.class, "last", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long q0, q1, q2, q3, q4, q5, q6, q7;

        Cell(Thread thread) {
            super(thread);
        }

        /**
         * One hit at tick {@code now}, by the owning thread only: the count, then the times, each
         * written only when it changes (the ticker moves every few milliseconds). A flush taking
         * {@code first} at the same moment may see this hit's time in the next event.
         */
        void hit(long now) {
            COUNT.setRelease(this, count + 1);
            if (last != now) {
                LAST.setOpaque(this, now);
            }
            if (first == UNSET) {
                FIRST.setOpaque(this, now);
            }
        }

        long count() {
            return (long) COUNT.getAcquire(this);
        }

        long last() {
            return (long) LAST.getOpaque(this);
        }

        /** The first tick since the last take, leaving none. */
        long takeFirst() {
            return (long) FIRST.getAndSet(this, UNSET);
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
                long[] m = new long[3];
                c.collect(m);
                long total = m[0];
                long first = m[1];
                long last = m[2];
                long n = total - c.reported;
                if (n == 0) {
                    c.pendingFirst = first; // a hit's time taken before its count: it goes with the next event
                    continue;
                }
                if (first == UNSET || first - last > 0) {
                    first = last; // its first hit's time went with the last flush's event, in a race with it
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
                    taken.get(i).pendingFirst = marks.get(i)[1]; // keep the first time for the retry
                }
                return;
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).reported = marks.get(i)[0];
                taken.get(i).pendingFirst = UNSET;
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
