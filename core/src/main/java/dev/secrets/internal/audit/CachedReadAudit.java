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
 * plain read and an ordered store, no locked instruction, so threads never contend and a single
 * thread does not pay for an atomic add — and keeps the tick of its first and last hit in the same
 * cell. The first four threads of a counter claim a slot of it and find their cell
 * there (the first slot is checked first); others find it through a thread-local map. A cleared
 * slot is how every rare condition reaches the hit (the sinks refusing, a caller principal in use):
 * the hit itself checks nothing else, so that it stays small enough for the JIT to inline the whole
 * read into its caller. No hit takes a lock or waits for I/O; a thread's first hit on a counter
 * allocates its cell. A
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
 * ({@link #sinkRecorded}) lifts it. Both set {@code refusing} and then clear every slot, and a thread
 * claims a slot only when not refusing and checks again after claiming (releasing the slot if it
 * now is): of the two orders, either the clearing sees the claim or the claimer sees the flag, so
 * no thread keeps a slot while the sinks refuse. With fail-open sinks nothing throws and a refused
 * flush is counted as dropped by the dispatcher, like any other event.
 *
 * <p>Thread-safe. Counters are kept for the client's life: one small object per secret version ever
 * read from the cache, plus one padded cell (about 170 bytes) per thread that has read it from the
 * cache and had not ended at the last flush.
 */
public final class CachedReadAudit implements AutoCloseable {
    /** How often counts are written when {@code secrets.audit.cached-reads.interval} is not set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final long UNSET = Long.MIN_VALUE;
    /**
     * {@code Counter.slot0} … {@code slot3}, one constant handle each: the hit must fold them. The
     * first four threads of a counter find their cell in a slot, others through a thread-local lookup.
     */
    private static final VarHandle SLOT0;
    private static final VarHandle SLOT1;
    private static final VarHandle SLOT2;
    private static final VarHandle SLOT3;
    private static final VarHandle[] SLOTS;
    /**
     * The audits of this process that are not closed, so that the first use of a caller principal
     * ({@link CallerPrincipal#callAs}) can clear their slots. Weak: an audit whose client was dropped
     * unclosed is not kept alive by this set.
     */
    private static final Map<CachedReadAudit, Boolean> OPEN = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SLOT0 = l.findVarHandle(Counter.class, "slot0", Cell.class);
            SLOT1 = l.findVarHandle(Counter.class, "slot1", Cell.class);
            SLOT2 = l.findVarHandle(Counter.class, "slot2", Cell.class);
            SLOT3 = l.findVarHandle(Counter.class, "slot3", Cell.class);
            SLOTS = new VarHandle[] {SLOT0, SLOT1, SLOT2, SLOT3};
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
        OPEN.put(this, Boolean.TRUE); // last: the clearing of slots may run on this object from now on
    }

    /** The cached reads of one secret version. */
    public static final class Counter {
        private final CachedReadAudit owner;
        private final String secretId;
        private final String versionId;
        /** The caller the reads are counted for, or null for the client's own principal. */
        private final String caller;
        /**
         * The cells of the first threads to hit this counter, one each: the thread whose cell is in a
         * slot finds it with one load from this object, checking {@code slot0} first (fields, not an
         * array: one hop less on the hit, and handles the JIT folds). A thread claims a free slot on a
         * hit that did not find its cell in one (compare-and-set); the slots are cleared while the
         * sinks refuse and for good once a caller principal is in use, and the flush frees the slots
         * of threads that have ended. The hit reads them opaquely (it sees a clearing eventually, and
         * at once after anything that happens-after it); a cell's {@code thread} is final, so a cell
         * seen through a slot is seen whole.
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
        /** The first and last ticks taken from the cells and not reported yet; only under {@code flushing}. */
        private long pendingFirst = UNSET;
        private long pendingLast = UNSET;
        /** The last tick of the last event reported; only under {@code flushing}. */
        private long reportedLast = UNSET;
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
         *
         * <p>This is the whole of what an audited cache hit adds to an unaudited one, and it is kept
         * this small on purpose: the JIT inlines an already compiled method only while its machine
         * code stays under {@code -XX:InlineSmallCode} (2,500 bytes on x86-64), and the client's read
         * with a larger hit went over it, so every caller paid a call for it (measured:
         * {@code benchmarks/README.md}, "After the third pass on #16").
         */
        public boolean hit(long now) {
            Thread t = Thread.currentThread();
            Cell c = (Cell) SLOT0.getOpaque(this);
            if (c == null || c.thread != t) {
                c = otherSlot(t);
                if (c == null) {
                    return slowHit(t, now);
                }
            }
            c.hit(now); // one call site, so the JIT inlines one copy of it
            return true;
        }

        /** {@code t}'s cell if it is in {@code slot1} … {@code slot3}, else null. */
        private Cell otherSlot(Thread t) {
            Cell c = (Cell) SLOT1.getOpaque(this);
            if (c != null && c.thread == t) {
                return c;
            }
            c = (Cell) SLOT2.getOpaque(this);
            if (c != null && c.thread == t) {
                return c;
            }
            c = (Cell) SLOT3.getOpaque(this);
            return c != null && c.thread == t ? c : null;
        }

        /** A hit of a thread without a slot: refused while the sinks refuse; counted for the caller principal when one is set. */
        private boolean slowHit(Thread t, long now) {
            if (owner.refusing) {
                return false;
            }
            boolean callers = CallerPrincipal.inUse();
            if (callers) {
                String p = CallerPrincipal.current();
                if (p != null && !p.equals(caller)) {
                    // A server serving many callers through one cache: count for the caller of this thread.
                    return owner.counters.computeIfAbsent(secretId + '\0' + versionId + '\0' + p,
                            k -> new Counter(owner, secretId, versionId, p)).hit(now);
                }
            }
            Cell c = mine.get();
            if (c == null) {
                c = new Cell(t);
                cells.add(c);
                mine.set(c);
            }
            c.hit(now);
            if (!callers) {
                claim(c);
            }
            return true;
        }

        /**
         * Puts {@code c} in a free slot, if there is one, so that its thread's next hits find it there.
         * Checks again after claiming and releases the slot if the sinks began refusing or a caller
         * principal came into use meanwhile: those set their flag first and clear the slots after, so
         * either they see this claim or this sees their flag.
         */
        private void claim(Cell c) {
            // Unrolled, so that each handle is a constant (a handle read from an array is not folded).
            if (!claim(SLOT0, c) && !claim(SLOT1, c) && !claim(SLOT2, c)) {
                claim(SLOT3, c);
            }
        }

        /** Whether {@code slot} was free and is now {@code c}'s (or was, until the re-check released it). */
        private boolean claim(VarHandle slot, Cell c) {
            if (slot.getOpaque(this) != null || !slot.compareAndSet(this, null, c)) {
                return false;
            }
            if (owner.refusing || CallerPrincipal.inUse()) {
                slot.compareAndSet(this, c, null);
            }
            return true;
        }

        /** Empties every slot: their threads' next hits take the slow way. */
        private void clearSlots() {
            for (VarHandle slot : SLOTS) {
                slot.setVolatile(this, null);
            }
        }

        /** Frees the slot {@code c} holds, if any (its thread has ended). */
        private void release(Cell c) {
            for (VarHandle slot : SLOTS) {
                slot.compareAndSet(this, c, null);
            }
        }

        /**
         * Every hit counted so far, the earliest first tick and the latest last tick the cells hold
         * (both taken from them, with those taken before and not reported yet); into {@code out}. The cells of threads that have ended are folded into
         * {@link #ended} and dropped: a thread's end happens-before {@link Thread#isAlive} answers
         * false (JLS 17.4.4), so such a cell is final, and its slot is freed. Called under
         * {@code flushing} only.
         */
        private void collect(long[] out) {
            long total = ended;
            long first = pendingFirst;
            long last = pendingLast;
            for (Iterator<Cell> it = cells.iterator(); it.hasNext(); ) {
                Cell c = it.next();
                boolean ended = !c.thread.isAlive();
                long n = c.count();
                first = earlier(first, c.takeFirst());
                last = later(last, c.takeLast());
                total += n;
                if (ended) {
                    this.ended += n;
                    it.remove();
                    release(c);
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

    /** How many slots of {@code c} hold a cell; for tests. */
    static int slotsHeld(Counter c) {
        int n = 0;
        for (VarHandle slot : SLOTS) {
            n += slot.getVolatile(c) != null ? 1 : 0;
        }
        return n;
    }

    /** Whether {@code t} finds its cell of {@code c} in a slot (its cached reads take the fast path); for tests. */
    static boolean inSlot(Counter c, Thread t) {
        for (VarHandle slot : SLOTS) {
            Cell held = (Cell) slot.getVolatile(c);
            if (held != null && held.thread == t) {
                return true;
            }
        }
        return false;
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
        /** Ticks of the first and of the last hit since a flush took them ({@link #UNSET}: none). */
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
         * One hit at tick {@code now}, by the owning thread only: the count, then the times, written
         * only when the ticker has moved since this cell's last hit (every few milliseconds) or a
         * flush has taken them. A flush taking them at the same moment may see this hit's time in the
         * next event; a hit whose count a flush missed while it took the times is reported by the next
         * event with the last time reported, which is its own (it saw that time in {@code last}).
         */
        void hit(long now) {
            COUNT.setRelease(this, count + 1);
            if ((long) LAST.getOpaque(this) != now) {
                LAST.setOpaque(this, now);
                if ((long) FIRST.getOpaque(this) == UNSET) {
                    FIRST.setOpaque(this, now);
                }
            }
        }

        long count() {
            return (long) COUNT.getAcquire(this);
        }

        /** The last tick since the last take, leaving none, so that the next hit writes both times again. */
        long takeLast() {
            return (long) LAST.getAndSet(this, UNSET);
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
        refuse();
    }

    /** Sets {@code refusing}, then clears every slot (in this order: see {@code Counter.claim}). */
    private void refuse() {
        refusing = true;
        clearSlots();
    }

    private void clearSlots() {
        for (Counter c : counters.values()) {
            c.clearSlots();
        }
    }

    /**
     * A caller principal came into use in this process (its first {@link CallerPrincipal#callAs}):
     * clears the slots of every open audit. {@link CallerPrincipal#inUse} is already true, so no slot
     * is claimed again; from now on every hit checks the caller of its thread.
     */
    static void callersInUse() {
        synchronized (OPEN) {
            for (CachedReadAudit a : OPEN.keySet()) {
                a.clearSlots();
            }
        }
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
            List<long[]> marks = new ArrayList<>(); // per counter: total hits counted, first and last ticks taken
            for (Counter c : counters.values()) {
                long[] m = new long[3];
                c.collect(m);
                long total = m[0];
                long first = m[1];
                long last = m[2];
                long n = total - c.reported;
                if (n == 0) {
                    c.pendingFirst = first; // a hit's times taken before its count: they go with the next event
                    c.pendingLast = last;
                    continue;
                }
                if (last == UNSET) {
                    // Only hits whose times went with the last event, in a race with its flush (they saw
                    // that time in the cell and did not write it again), or whose last time a racing
                    // flush took before their first time.
                    last = first != UNSET ? first : c.reportedLast != UNSET ? c.reportedLast : nowTick;
                }
                if (first == UNSET || first - last > 0) {
                    first = last; // its first hit's time went with the last flush's event, in a race with it
                }
                events.add(AuditEvent.cachedReads(c.secretId, c.versionId, c.caller != null ? c.caller : principal, at(first, nowTick, now),
                        at(last, nowTick, now), n));
                taken.add(c);
                marks.add(new long[] {total, first, last});
            }
            if (events.isEmpty()) {
                return;
            }
            try {
                for (AuditSink s : sinks) {
                    s.recordAll(events);
                }
            } catch (RuntimeException refused) {
                refuse();
                for (int i = 0; i < taken.size(); i++) {
                    taken.get(i).pendingFirst = marks.get(i)[1]; // keep the times for the retry
                    taken.get(i).pendingLast = marks.get(i)[2];
                }
                return;
            }
            for (int i = 0; i < taken.size(); i++) {
                Counter c = taken.get(i);
                c.reported = marks.get(i)[0];
                c.reportedLast = marks.get(i)[2];
                c.pendingFirst = UNSET;
                c.pendingLast = UNSET;
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
        OPEN.remove(this);
        flush();
    }
}
