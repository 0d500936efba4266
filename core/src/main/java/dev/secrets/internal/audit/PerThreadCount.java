package dev.secrets.internal.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * An exact count of events, with the ticker readings of the first and last event since the last
 * {@link #take}, that a thread adds to without a locked instruction, a lookup or an allocation: each
 * thread counts in a slot of its own, which only it writes (plain stores, the count with release
 * order), found at the index of its thread ID in a small open-addressing table. The reader
 * ({@link #take}, then {@link #commit} or {@link #restore}) sums what the slots counted since the last
 * commit, under this object's monitor; so does the insertion of a thread's slot, its first event here.
 *
 * <p>Why not a {@link java.util.concurrent.atomic.LongAdder}: its increment is a locked
 * compare-and-swap, a full fence costing several nanoseconds even uncontended — as much again as
 * the cache lookup it would be counting. Here a count costs a few loads and two plain stores.
 *
 * <p>Slots are 64 bytes or more, so that two threads' counts never share a cache line, also after
 * a garbage collector has moved them next to each other. The slot of a thread that has ended is
 * dropped once all it counted was committed (when another thread's slot needs the room), so a pool
 * that replaces its threads does not grow the table. Memory: one slot per live thread that counted
 * here. Thread-safe.
 */
final class PerThreadCount {
    static final long UNSET = Long.MIN_VALUE;
    private static final int INITIAL_SIZE = 4;
    private static final VarHandle FIRST;
    private static final VarHandle COUNT;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Slot[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FIRST = l.findVarHandle(Slot.class, "first", long.class);
            COUNT = l.findVarHandle(Slot.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What one thread counted. Written by that thread only, except {@link #first}, which a take resets. */
    @SuppressWarnings("unused") // p1–p3 only pad the object to 72 bytes (with its header): see the class comment
    private static final class Slot {
        final Thread thread;
        long p1;
        long p2;
        long p3;
        /** Ticker reading of the first event since the last take; {@link #UNSET} when none. */
        long first = UNSET;
        long last = UNSET;
        /** Events counted by {@link #thread}, ever. */
        long count;
        /** What of {@link #count} was committed; guarded by the table's monitor. */
        long committed;

        Slot(Thread thread) {
            this.thread = thread;
        }
    }

    /** Replaced, never changed in place except to fill an empty index (under the monitor). */
    private volatile Slot[] slots = new Slot[INITIAL_SIZE];
    /** Slots in {@link #slots}; guarded by this. */
    private int size;

    /** Counts one event of the calling thread at ticker reading {@code now}. */
    void add(long now) {
        Thread t = Thread.currentThread();
        Slot[] table = slots;
        Slot s = table[(int) t.getId() & (table.length - 1)];
        if (s == null || s.thread != t) {
            s = slotOf(t);
        }
        // The ticks first, then the count with release order: whoever sees the count sees the ticks.
        if ((long) FIRST.getOpaque(s) == UNSET) { // opaque: a take's reset is seen, never hoisted out of a loop
            FIRST.compareAndSet(s, UNSET, now); // once per take; a take may have reset it meanwhile
        }
        if (s.last != now) {
            s.last = now; // the coarse ticker moves every few ms: mostly not written
        }
        COUNT.setRelease(s, s.count + 1);
    }

    private Slot slotOf(Thread t) {
        Slot[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) t.getId() & mask, n = 0; n < table.length; i = (i + 1) & mask, n++) {
            Slot s = (Slot) SLOTS.getAcquire(table, i);
            if (s == null) {
                break;
            }
            if (s.thread == t) {
                return s;
            }
        }
        return insert(t); // this thread's first event here: only this thread inserts its own slot
    }

    private synchronized Slot insert(Thread t) {
        Slot mine = new Slot(t);
        Slot[] table = slots;
        if (size + 1 <= table.length / 2) {
            place(table, mine);
            size++;
            return mine;
        }
        // Full: drop the slots of ended threads whose counts were all committed, then grow if need be.
        List<Slot> kept = new ArrayList<>(size + 1);
        for (Slot s : table) {
            // An ended thread wrote its last count before isAlive() answered false (JLS 17.4.4).
            if (s != null && (s.thread.isAlive() || (long) COUNT.getAcquire(s) != s.committed)) {
                kept.add(s);
            }
        }
        kept.add(mine);
        int length = table.length;
        while (kept.size() > length / 2) {
            length *= 2;
        }
        Slot[] bigger = new Slot[length];
        for (Slot s : kept) {
            place(bigger, s);
        }
        size = kept.size();
        slots = bigger;
        return mine;
    }

    private static void place(Slot[] table, Slot s) {
        int mask = table.length - 1;
        int i = (int) s.thread.getId() & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        SLOTS.setRelease(table, i, s);
    }

    /**
     * What was counted since the last {@link #commit}: its number, and the first and last ticker
     * readings of those events. Resets the first readings: pass the result to {@link #commit} once it
     * is recorded, or to {@link #restore} when it was not. Null when nothing was counted.
     */
    synchronized Taken take() {
        List<Slot> taken = null;
        List<long[]> marks = null;
        long n = 0;
        long first = UNSET;
        long last = UNSET;
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            long count = (long) COUNT.getAcquire(s);
            if (count == s.committed) {
                continue;
            }
            long f = (long) FIRST.getAndSet(s, UNSET);
            long l = s.last; // written before the count we read
            if (taken == null) {
                taken = new ArrayList<>();
                marks = new ArrayList<>();
            }
            taken.add(s);
            marks.add(new long[] {count, f});
            n += count - s.committed;
            if (f != UNSET && (first == UNSET || f - first < 0)) {
                first = f;
            }
            if (last == UNSET || l - last > 0) {
                last = l;
            }
        }
        if (taken == null) {
            return null;
        }
        if (first == UNSET || first - last > 0) {
            first = last; // the first event's reading went with the last take, in a race with it
        }
        return new Taken(n, first, last, taken, marks);
    }

    /** {@code t}'s events were recorded: a later take reports only what came after. */
    synchronized void commit(Taken t) {
        for (int i = 0; i < t.slots.size(); i++) {
            t.slots.get(i).committed = t.marks.get(i)[0];
        }
    }

    /** {@code t}'s events were not recorded: the next take reports them again, with their first reading. */
    void restore(Taken t) {
        for (int i = 0; i < t.slots.size(); i++) {
            Slot s = t.slots.get(i);
            long f = t.marks.get(i)[1];
            long now = (long) FIRST.getVolatile(s);
            // Keep the earlier of the taken reading and one an event set since.
            while (f != UNSET && (now == UNSET || f - now < 0) && !FIRST.compareAndSet(s, now, f)) {
                now = (long) FIRST.getVolatile(s);
            }
        }
    }

    /** Slots in the table, for tests. */
    synchronized int slotCount() {
        return size;
    }

    /** Events counted since the last commit, and their first and last ticker readings. */
    static final class Taken {
        final long count;
        final long first;
        final long last;
        private final List<Slot> slots;
        private final List<long[]> marks;

        private Taken(long count, long first, long last, List<Slot> slots, List<long[]> marks) {
            this.count = count;
            this.first = first;
            this.last = last;
            this.slots = slots;
            this.marks = marks;
        }
    }
}
