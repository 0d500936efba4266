package dev.secrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs continuous queries on a pool from several threads while a test rotates credentials, and
 * records which physical connections (by the server's connection ID and user) served them.
 */
final class RotationLoad implements AutoCloseable {
    private final HikariDataSource pool;
    private final String query; // returns (connection id, current user)
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Set<String> connections = ConcurrentHashMap.newKeySet(); // "id user"
    private final ExecutorService threads;
    private final List<Future<?>> workers = new ArrayList<>();

    RotationLoad(HikariDataSource pool, String query, int threadCount) {
        this.pool = pool;
        this.query = query;
        this.threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            workers.add(threads.submit(this::work));
        }
    }

    private void work() {
        while (running.get()) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                rs.next();
                connections.add(rs.getString(1) + " " + rs.getString(2));
                queries.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        }
    }

    /** The connections seen so far. */
    Set<String> connectionsSeen() {
        return Set.copyOf(connections);
    }

    /**
     * Forces the pool to replace its connections, then waits until a query ran on a connection
     * not in {@code before} whose user is {@code user}: a connection opened after the rotation.
     */
    void awaitNewConnection(Set<String> before, String user, Duration timeout) {
        pool.getHikariPoolMXBean().softEvictConnections();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String c : connections) {
                if (!before.contains(c) && c.endsWith(" " + user)) {
                    return;
                }
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new AssertionError("no new connection as " + user + " within " + timeout + "; failures so far: " + failures.get(),
                firstFailure.get());
    }

    long queries() {
        return queries.get();
    }

    /** Stops the threads and asserts that no query failed. */
    void assertNoFailures() {
        stop();
        assertThat(failures.get()).as("failed queries (first: %s)", firstFailure.get()).isZero();
    }

    private void stop() {
        running.set(false);
        for (Future<?> f : workers) {
            try {
                f.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        threads.shutdownNow();
    }
}
