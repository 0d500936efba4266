package dev.secrets.testing;

import dev.secrets.internal.cache.RefreshScheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RefreshScheduler} that runs nothing by itself: tasks wait until the test runs them
 * ({@link #runDue()}), and their delays are kept for assertions. No thread, no sleep. Thread-safe.
 */
public final class ManualScheduler implements RefreshScheduler {
    private final List<Runnable> pending = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void schedule(Runnable task, long delayMillis) {
        if (!closed) {
            pending.add(task);
            delays.add(delayMillis);
        }
    }

    /** Runs the tasks scheduled so far (not those they schedule); returns how many ran. */
    public int runDue() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(pending);
            pending.clear();
        }
        due.forEach(Runnable::run);
        return due.size();
    }

    /** The delays asked for, in milliseconds, in order. */
    public synchronized List<Long> delays() {
        return List.copyOf(delays);
    }

    /** Tasks waiting to be run. */
    public synchronized int pending() {
        return pending.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        pending.clear();
    }
}
