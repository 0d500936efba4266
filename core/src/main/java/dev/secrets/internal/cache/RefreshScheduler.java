package dev.secrets.internal.cache;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the cache's background refreshes after a delay, in the spirit of Caffeine's
 * {@code Scheduler}: the cache never reads the clock or sleeps itself, so tests drive refreshes with
 * a scheduler of their own. Implementations must be thread-safe.
 */
public interface RefreshScheduler extends AutoCloseable {
    /** Runs {@code task} once, about {@code delayMillis} from now, on another thread. */
    void schedule(Runnable task, long delayMillis);

    /** Stops running tasks; pending ones are dropped. */
    @Override
    void close();

    /** One daemon thread ({@code secrets-cache-refresh}), started on the first refresh. */
    static RefreshScheduler daemon() {
        return new RefreshScheduler() {
            private volatile ScheduledExecutorService executor;
            private volatile boolean closed;

            @Override
            public void schedule(Runnable task, long delayMillis) {
                if (!closed) {
                    executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                }
            }

            private ScheduledExecutorService executor() {
                ScheduledExecutorService e = executor;
                if (e == null) {
                    synchronized (this) {
                        e = executor;
                        if (e == null) {
                            e = Executors.newSingleThreadScheduledExecutor(task -> {
                                Thread t = new Thread(task, "secrets-cache-refresh");
                                t.setDaemon(true);
                                return t;
                            });
                            executor = e;
                        }
                    }
                }
                return e;
            }

            @Override
            public synchronized void close() {
                closed = true;
                ScheduledExecutorService e = executor;
                if (e != null) {
                    e.shutdownNow();
                }
            }
        };
    }
}
