package dev.secrets;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs due rotations in-process: every {@code interval}, {@link SecretsClient#runDueRotations()}.
 * Whether a secret is due is decided with the client's clock; at most one rotation of a secret
 * runs at a time even when several schedulers (in this and other processes) share a store.
 *
 * <pre>{@code
 * try (RotationScheduler scheduler = RotationScheduler.start(client, Duration.ofMinutes(1))) {
 *     ... // the application runs
 * }
 * }</pre>
 *
 * <p>A run that throws (store unreachable) is reported to the listener and the next run goes on.
 * Thread-safe. {@link #close()} stops future runs and waits for a running one; it shuts down the
 * executor only when the scheduler created it.
 */
public final class RotationScheduler implements AutoCloseable {
    private final SecretsClient client;
    private final ScheduledExecutorService executor;
    private final boolean ownExecutor;
    private final Consumer<List<RotationOutcome>> onRun;
    private final Consumer<RuntimeException> onError;
    private final ScheduledFuture<?> task;

    private RotationScheduler(SecretsClient client, Duration interval, ScheduledExecutorService executor, boolean own,
                              Consumer<List<RotationOutcome>> onRun, Consumer<RuntimeException> onError) {
        this.client = client;
        this.executor = executor;
        this.ownExecutor = own;
        this.onRun = onRun;
        this.onError = onError;
        long ms = interval.toMillis();
        this.task = executor.scheduleWithFixedDelay(this::runOnce, 0, ms, TimeUnit.MILLISECONDS);
    }

    /** Starts checking every {@code interval} on a daemon thread of its own, first at once. */
    public static RotationScheduler start(SecretsClient client, Duration interval) {
        return start(client, interval, null, outcomes -> { }, e -> { });
    }

    /**
     * Starts checking every {@code interval}, first at once.
     *
     * @param executor the executor to run on, or null for a single daemon thread of its own
     * @param onRun    called with the outcomes of each run (possibly empty)
     * @param onError  called when a run fails as a whole (store unreachable…)
     */
    public static RotationScheduler start(SecretsClient client, Duration interval, ScheduledExecutorService executor,
                                          Consumer<List<RotationOutcome>> onRun, Consumer<RuntimeException> onError) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the scheduler interval must be positive");
        }
        boolean own = executor == null;
        ScheduledExecutorService ex = own ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrets-rotation-scheduler");
            t.setDaemon(true);
            return t;
        }) : executor;
        return new RotationScheduler(client, interval, ex, own, Objects.requireNonNull(onRun), Objects.requireNonNull(onError));
    }

    private void runOnce() {
        try {
            onRun.accept(client.runDueRotations());
        } catch (RuntimeException e) {
            // Never let an exception cancel the periodic task.
            try {
                onError.accept(e);
            } catch (RuntimeException ignored) {
                // the listener's own failure must not stop the scheduler either
            }
        }
    }

    @Override
    public void close() {
        task.cancel(false);
        if (ownExecutor) {
            executor.shutdown();
            try {
                executor.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RotationScheduler[" + client + (task.isDone() ? ", stopped" : "") + "]";
    }
}
